namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, 1998): picks, one at a time, the candidate with the best
/// <c>lambda * relevance - (1 - lambda) * (similarity to the closest one already picked)</c>, so that ten hits are not
/// ten phrasings of one thing.
/// </summary>
internal static class DiversityReranker
{
    /// <param name="ranked">Candidates, best first.</param>
    /// <param name="score">A candidate's relevance (any scale; divided by the best).</param>
    /// <param name="id">A candidate's id.</param>
    /// <param name="similarity">Cosine similarity of two ids, null when unknown (then taken as 0).</param>
    /// <param name="lambda">1 keeps the order; lower values trade relevance for diversity.</param>
    /// <param name="depth">How many candidates to reorder; the rest keep their order after them.</param>
    public static List<T> Rerank<T>(IReadOnlyList<T> ranked, Func<T, double> score, Func<T, long> id, Func<long, long, float?> similarity, double lambda, int depth)
    {
        if (lambda >= 1 || ranked.Count < 3)
        {
            return [.. ranked];
        }

        var n = Math.Min(depth, ranked.Count);
        var best = Math.Max(score(ranked[0]), 1e-9);
        var closest = new double[n];
        var taken = new bool[n];
        var result = new List<T>(ranked.Count);
        for (var round = 0; round < n; round++)
        {
            var pick = -1;
            var pickValue = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var value = (lambda * score(ranked[i]) / best) - ((1 - lambda) * closest[i]);
                if (value > pickValue)
                {
                    (pick, pickValue) = (i, value);
                }
            }

            taken[pick] = true;
            result.Add(ranked[pick]);
            var pickedId = id(ranked[pick]);
            for (var i = 0; i < n; i++)
            {
                if (!taken[i])
                {
                    closest[i] = Math.Max(closest[i], similarity(pickedId, id(ranked[i])) ?? 0);
                }
            }
        }

        for (var i = n; i < ranked.Count; i++)
        {
            result.Add(ranked[i]);
        }

        return result;
    }
}
