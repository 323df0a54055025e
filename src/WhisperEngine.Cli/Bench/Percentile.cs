namespace WhisperEngine.Cli.Bench;

/// <summary>Nearest-rank percentiles.</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="p"/>-th percentile (0-100) of <paramref name="values"/>; 0 when there are none.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
