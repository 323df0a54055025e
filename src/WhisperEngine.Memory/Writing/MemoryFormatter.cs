using System.Globalization;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Writing;

/// <summary>
/// The text forms of a memory: as it is shown to the model (with its date and speaker, which questions such as
/// "when did she..." need) and as it is embedded (speaker and words, no date: dates add noise to similarity).
/// A memory with an emotion other than neutral shows it after the speaker: <c>[8 May 2023] Caroline (sad): ...</c>.
/// </summary>
public static class MemoryFormatter
{
    /// <summary>The prompt form: <c>[8 May 2023] Caroline: I went to a support group yesterday.</c></summary>
    public static string Render(MemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Render(record.OccurredAt, record.Speaker, record.Text, record.Emotion);
    }

    /// <summary>The prompt form of a memory about to be written (its token count is stored with it).</summary>
    public static string Render(NewMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return Render(memory.OccurredAt, memory.Speaker, memory.Text, memory.Emotion);
    }

    /// <summary>The text that is embedded: the speaker's words.</summary>
    public static string EmbeddingText(string speaker, string text) =>
        string.IsNullOrEmpty(speaker) ? text : $"{speaker}: {text}";

    private static string Render(DateTimeOffset at, string speaker, string text, string? emotion) =>
        Emotion.EmotionReading.Describe(emotion) is { } mood
            ? string.Create(CultureInfo.InvariantCulture, $"[{at:d MMM yyyy}] {speaker} ({mood}): {text}")
            : string.Create(CultureInfo.InvariantCulture, $"[{at:d MMM yyyy}] {speaker}: {text}");
}
