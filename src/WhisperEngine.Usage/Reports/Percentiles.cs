namespace WhisperEngine.Usage.Reports;

/// <summary>Nearest-rank percentiles.</summary>
/// <remarks>
/// The p-th percentile of n sorted values is the value at rank ⌈p/100 · n⌉ (1-based): the smallest observed value with at
/// least p % of the values at or below it. No interpolation, so every percentile is a time that really occurred and a
/// hand computation over the CSV gives the same figure.
/// </remarks>
public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="percentile"/> (0 &lt; p ≤ 100) of <paramref name="sorted"/> (ascending); null when empty.</summary>
    public static double? NearestRank(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Count == 0)
        {
            return null;
        }

        // p · n first: exact for whole percentiles, where p / 100 · n can land a hair above a whole rank (0.95 · 20).
        var rank = (int)Math.Ceiling(percentile * sorted.Count / 100);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>Count, mean, p50, p90, p95, p99 and max of <paramref name="values"/>.</summary>
    public static LatencySummary Summarize(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return new LatencySummary(0, null, null, null, null, null, null);
        }

        return new LatencySummary(sorted.Count, sorted.Average(), NearestRank(sorted, 50), NearestRank(sorted, 90),
            NearestRank(sorted, 95), NearestRank(sorted, 99), sorted[^1]);
    }
}
