using System.Text;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Fact keys: lowercase letters, digits, <c>_</c> and <c>.</c> (for nesting: <c>pet.dog.name</c>), at most
/// <see cref="MaxLength"/> characters. "Lives In" and "lives-in" are the same key, so a new value replaces the old
/// one instead of standing beside it.
/// </summary>
public static class FactKey
{
    public const int MaxLength = 64;

    /// <summary>The normalised key, or null when nothing usable is left.</summary>
    public static string? Normalize(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var text = key.Trim();
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c == '.')
            {
                AppendSeparator(builder, '.');
            }
            else if (char.IsWhiteSpace(c) || c is '_' or '-' or '/' or ':')
            {
                AppendSeparator(builder, '_');
            }

            // Anything else (punctuation, symbols, apostrophes) is dropped.
        }

        var normalized = builder.ToString().Trim('_', '.');
        return normalized.Length == 0 ? null : normalized;
    }

    /// <summary>A key for a fact a person states in free text ("I'm allergic to peanuts"): <c>note.im_allergic_to_peanuts</c>.</summary>
    public static string ForNote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(6);
        var slug = Normalize(string.Join('_', words.Select(w => w.Replace(".", "", StringComparison.Ordinal)))) ?? "text";
        var key = "note." + slug;
        return key.Length <= MaxLength ? key : key[..MaxLength].TrimEnd('_', '.');
    }

    private static void AppendSeparator(StringBuilder builder, char separator)
    {
        if (builder.Length == 0)
        {
            return;
        }

        var last = builder[^1];
        if (last is '_' or '.')
        {
            // "a. b" is "a.b": a dot wins over a space next to it.
            if (separator == '.')
            {
                builder[^1] = '.';
            }

            return;
        }

        builder.Append(separator);
    }
}
