namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Drops a candidate that repeats a better-ranked one: "thanks!" said forty times is one memory's worth of context.
/// Two candidates are near-duplicates when their vectors' cosine similarity reaches the threshold, or (without
/// vectors) when their texts are equal ignoring case, spaces and punctuation.
/// </summary>
internal static class NearDuplicateFilter
{
    /// <summary>Yields the candidates, best first, that are not near-duplicates of one yielded before.</summary>
    /// <param name="ranked">Candidates, best first.</param>
    /// <param name="id">The id of a candidate.</param>
    /// <param name="text">The text of a candidate.</param>
    /// <param name="similarity">Cosine similarity of two ids, null when unknown.</param>
    /// <param name="threshold">Similarity at or above which a candidate is a duplicate.</param>
    /// <param name="suppressed">Called for each candidate left out.</param>
    public static IEnumerable<T> Filter<T>(IEnumerable<T> ranked, Func<T, long> id, Func<T, string> text, Func<long, long, float?> similarity,
        float threshold, Action<T>? suppressed = null)
    {
        var kept = new List<(long Id, string Key)>();
        foreach (var candidate in ranked)
        {
            var candidateId = id(candidate);
            var key = Normalise(text(candidate));
            var duplicate = false;
            foreach (var (keptId, keptKey) in kept)
            {
                var s = similarity(keptId, candidateId);
                if ((s is { } value && value >= threshold) || string.Equals(key, keptKey, StringComparison.Ordinal))
                {
                    duplicate = true;
                    break;
                }
            }

            if (duplicate)
            {
                suppressed?.Invoke(candidate);
                continue;
            }

            kept.Add((candidateId, key));
            yield return candidate;
        }
    }

    internal static string Normalise(string text)
    {
        var chars = new char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(chars, 0, n);
    }
}
