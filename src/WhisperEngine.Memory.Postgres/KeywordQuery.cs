using System.Globalization;
using System.Text;

namespace WhisperEngine.Memory.Postgres;

/// <summary>
/// The arithmetic and syntax of the keyword search: inverse document frequency from a partition's term statistics,
/// and tsquery text built from lexemes (quoted, so no lexeme is read as syntax).
/// </summary>
internal static class KeywordQuery
{
    /// <summary>Below this a term tells nothing about a memory (FTS5's floor for a word in half the memories or more).</summary>
    public const double MinIdf = 1e-6;

    /// <summary>
    /// BM25's inverse document frequency as FTS5 computes it, <c>ln((N - n + 0.5) / (n + 0.5))</c>, over the partition's
    /// <paramref name="memories"/> plus <paramref name="background"/> memories assumed not to hold the word: a
    /// person's first few memories share most of their words, and without a background none of them could be found.
    /// </summary>
    public static double Idf(long memories, long documentFrequency, double background)
    {
        var n = memories + background;
        return Math.Max(MinIdf, Math.Log((n - documentFrequency + 0.5) / (documentFrequency + 0.5)));
    }

    /// <summary>A lexeme as a tsquery operand, optionally restricted to weights (<c>"AC"</c>).</summary>
    public static string Operand(string lexeme, string? weights = null)
    {
        var quoted = new StringBuilder(lexeme.Length + 6).Append('\'');
        foreach (var c in lexeme)
        {
            if (c is '\'' or '\\')
            {
                quoted.Append(c);
            }

            quoted.Append(c);
        }

        quoted.Append('\'');
        return weights is null ? quoted.ToString() : quoted.Append(':').Append(weights).ToString();
    }

    /// <summary>
    /// Memories of one partition (its own lexeme, weight D) that hold any of the lexemes in their text (A), context or
    /// reply (both C): a match in the speaker's name (B) adds to the score but never makes a hit alone.
    /// </summary>
    public static string Match(long partitionId, IReadOnlyList<string> lexemes)
    {
        var match = new StringBuilder(Operand("p" + partitionId.ToString(CultureInfo.InvariantCulture), "D")).Append(" & (");
        for (var i = 0; i < lexemes.Count; i++)
        {
            if (i > 0)
            {
                match.Append(" | ");
            }

            match.Append(Operand(lexemes[i], "AC"));
        }

        return match.Append(')').ToString();
    }
}
