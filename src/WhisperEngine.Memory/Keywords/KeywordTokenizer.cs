using System.Globalization;
using System.Text;

namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// Splits text into index terms the way the SQLite store's FTS5 table does (<c>porter unicode61 remove_diacritics 2</c>):
/// runs of letters, digits and private-use characters, lower-cased, diacritics removed, then stemmed by
/// <see cref="PorterStemmer"/>. Every token counts towards a memory's length, also the function words a query leaves out.
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
internal static class KeywordTokenizer
{
    /// <summary>Calls <paramref name="onTerm"/> with each term of <paramref name="text"/> in order; returns how many there were.</summary>
    public static int Tokenize<TState>(string? text, TState state, Action<TState, string> onTerm)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && IsTokenChar(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                onTerm(state, Term(text.AsSpan(start, i - start)));
                count++;
                start = -1;
            }
        }

        return count;
    }

    /// <summary>The index term of one query word (as <see cref="Retrieval.KeywordTerms"/> extracts it).</summary>
    public static string Term(ReadOnlySpan<char> word)
    {
        var ascii = true;
        foreach (var c in word)
        {
            if (c > 127)
            {
                ascii = false;
                break;
            }
        }

        string lower;
        if (ascii)
        {
            Span<char> buffer = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
            for (var i = 0; i < word.Length; i++)
            {
                var c = word[i];
                buffer[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }

            lower = new string(buffer);
        }
        else
        {
            lower = RemoveDiacritics(word.ToString().ToLowerInvariant());
        }

        return PorterStemmer.Stem(lower);
    }

    private static bool IsTokenChar(char c)
    {
        if (c < 128)
        {
            return c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
        }

        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Surrogate;
    }

    /// <summary>
    /// Latin letters with diacritics (Latin-1 and Latin Extended-A, lower case) and their base letters, as FTS5's
    /// <c>remove_diacritics</c> folds them; letters that are not a base letter plus a mark (ø, æ, ł, đ) stay. A table, not
    /// Unicode decomposition: the engine runs with invariant globalization, where strings are not normalised.
    /// </summary>
    private static readonly Dictionary<char, char> Folds = BuildFolds(
        ("àáâãäåāăą", 'a'), ("çćĉċč", 'c'), ("ď", 'd'), ("èéêëēĕėęě", 'e'), ("ĝğġģ", 'g'), ("ĥ", 'h'), ("ìíîïĩīĭįİ", 'i'),
        ("ĵ", 'j'), ("ķ", 'k'), ("ĺļľ", 'l'), ("ñńņň", 'n'), ("òóôõöōŏő", 'o'), ("ŕŗř", 'r'), ("śŝşš", 's'), ("ţť", 't'),
        ("ùúûüũūŭůűų", 'u'), ("ŵ", 'w'), ("ýÿŷ", 'y'), ("źżž", 'z'));

    private static Dictionary<char, char> BuildFolds(params (string Letters, char Base)[] groups)
    {
        var folds = new Dictionary<char, char>();
        foreach (var (letters, letter) in groups)
        {
            foreach (var c in letters)
            {
                folds[c] = letter;
            }
        }

        return folds;
    }

    private static string RemoveDiacritics(string word)
    {
        var folded = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(Folds.GetValueOrDefault(c, c));
            }
        }

        return folded.ToString();
    }
}
