namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Spreads a ranking over topic clusters: once a cluster has given <c>maxPerCluster</c> hits, its further hits move
/// behind the hits of other clusters (in their order), so a few results are not all about one topic. Hits without a
/// cluster are never deferred.
/// </summary>
internal static class ClusterSpread
{
    public static List<T> Apply<T>(IReadOnlyList<T> ranked, Func<T, int?> cluster, int maxPerCluster)
    {
        if (maxPerCluster <= 0)
        {
            return [.. ranked];
        }

        var counts = new Dictionary<int, int>();
        var first = new List<T>(ranked.Count);
        var deferred = new List<T>();
        foreach (var item in ranked)
        {
            if (cluster(item) is not { } c)
            {
                first.Add(item);
                continue;
            }

            var n = counts.GetValueOrDefault(c);
            counts[c] = n + 1;
            (n < maxPerCluster ? first : deferred).Add(item);
        }

        first.AddRange(deferred);
        return first;
    }
}
