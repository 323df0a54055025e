namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Reciprocal-rank fusion (Cormack et al., 2009): each ranking adds weight / (k + rank) to every id it holds.
/// Scale-free, so BM25 scores and cosine similarities never need calibrating against each other.
/// </summary>
internal static class ReciprocalRankFusion
{
    /// <summary>Fuses rankings (ids best first) into one, best first; ties go to the better single rank, then the lower id.</summary>
    public static IReadOnlyList<(long Id, double Score)> Fuse(IReadOnlyList<IReadOnlyList<long>> rankings, IReadOnlyList<double> weights, int k)
    {
        if (rankings.Count != weights.Count)
        {
            throw new ArgumentException("One weight per ranking.", nameof(weights));
        }

        var scores = new Dictionary<long, (double Score, int BestRank)>();
        for (var r = 0; r < rankings.Count; r++)
        {
            var ranking = rankings[r];
            for (var i = 0; i < ranking.Count; i++)
            {
                var rank = i + 1;
                var add = weights[r] / (k + rank);
                scores[ranking[i]] = scores.TryGetValue(ranking[i], out var s)
                    ? (s.Score + add, Math.Min(s.BestRank, rank))
                    : (add, rank);
            }
        }

        return scores
            .OrderByDescending(p => p.Value.Score)
            .ThenBy(p => p.Value.BestRank)
            .ThenBy(p => p.Key)
            .Select(p => (p.Key, p.Value.Score))
            .ToList();
    }
}
