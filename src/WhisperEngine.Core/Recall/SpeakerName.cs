using System.Globalization;
using System.Text;

namespace WhisperEngine.Core.Recall;

/// <summary>
/// The name a person is called by in prompts and memories. It comes from outside (a Discord display name, an API
/// field) and goes into system prompts, so it is kept to one short line: control and format characters are
/// removed, whitespace runs become one space, and it is cut to <see cref="MaxLength"/> characters.
/// </summary>
public static class SpeakerName
{
    public const int MaxLength = 64;

    /// <summary>The cleaned <paramref name="name"/>, or <paramref name="fallback"/> when nothing is left.</summary>
    public static string Clean(string? name, string fallback)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return fallback;
        }

        var text = new StringBuilder(Math.Min(name.Length, MaxLength));
        var space = false;
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune))
            {
                space = text.Length > 0;
                continue;
            }

            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (text.Length + (space ? 1 : 0) + rune.Utf16SequenceLength > MaxLength)
            {
                break;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(rune.ToString());
        }

        return text.Length == 0 ? fallback : text.ToString();
    }
}
