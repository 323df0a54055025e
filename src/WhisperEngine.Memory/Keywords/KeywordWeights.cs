namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// BM25 as the SQLite store ranks with FTS5's <c>bm25()</c>: its k1 and b, and the weights of a memory's columns
/// (a match in the context or the reply counts 0.3 of one in the memory's own words, in the speaker's name 0.5).
/// </summary>
internal static class KeywordWeights
{
    public const float Text = 1.0f;
    public const float Context = 0.3f;
    public const float Reply = 0.3f;
    public const float Speaker = 0.5f;
    public const double K1 = 1.2;
    public const double B = 0.75;

    /// <summary>FTS5's floor of the IDF of a term found in half the memories or more.</summary>
    public const double MinIdf = 1e-6;

    /// <summary>Below this score a hit rests on uninformative words only and is left out (as the stores do).</summary>
    public const double InformativeScore = 1e-4;

    /// <summary>BM25's IDF as FTS5 computes it, floored at <see cref="MinIdf"/>.</summary>
    public static double Idf(double memories, int documentFrequency) =>
        Math.Max(MinIdf, Math.Log((memories - documentFrequency + 0.5) / (documentFrequency + 0.5)));

    /// <summary>BM25's saturating term frequency: f (k1 + 1) / (f + k1 (1 - b + b |D| / avgdl)).</summary>
    public static double Saturate(double frequency, double length, double averageLength) =>
        frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * length / averageLength))));
}
