using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>Facts people and operators state themselves (commands), as opposed to extracted ones.</summary>
public static class FactInput
{
    /// <summary>
    /// A fact from a sentence ("I'm allergic to peanuts"), at confidence 1. Without a <paramref name="key"/> it is a note
    /// (<see cref="FactKey.ForNote"/>), shown in prompts as written; with one, <paramref name="text"/> is its value.
    /// Throws <see cref="ArgumentException"/> for an empty or over-long text, or a key without letters or digits.
    /// </summary>
    public static NewFact FromText(string text, string? key, FactSubject subject, string source, PrivacyLevel privacy, string channelId)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            throw new ArgumentException("The fact is empty; write what is true, e.g. \"I'm allergic to peanuts\".", nameof(text));
        }

        if (value.Length > FactRules.MaxValueLength)
        {
            throw new ArgumentException($"The fact is {value.Length} characters long; at most {FactRules.MaxValueLength} are kept.", nameof(text));
        }

        var normalized = key is null ? FactKey.ForNote(value) : FactKey.Normalize(key)
            ?? throw new ArgumentException($"The key '{key}' has no letters or digits; use something like lives_in.", nameof(key));
        return new NewFact(subject, normalized, value, 1.0, source, privacy, channelId);
    }
}
