using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Charts;

/// <summary>One bar of the cost-per-model chart.</summary>
internal sealed record ChartBar(string Label, decimal CostUsd, double Share, int Requests)
{
    /// <summary>More bars than this and the smallest are merged into one "other models" bar.</summary>
    public const int MaxBars = 20;

    /// <summary>Colours of the bars in turn, readable on white and distinct from their neighbours.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#ff9da6", "#9d755d", "#79706e"];

    /// <summary>The bars of <paramref name="report"/>, highest cost first.</summary>
    public static IReadOnlyList<ChartBar> PerModel(UsageReport report)
    {
        var bars = report.ByModel.Select(m => new ChartBar(m.Model, m.CostUsd, m.Share, m.Requests)).ToList();
        if (bars.Count <= MaxBars)
        {
            return bars;
        }

        var rest = bars.Skip(MaxBars - 1).ToList();
        return [.. bars.Take(MaxBars - 1), new ChartBar($"({rest.Count} other models)", rest.Sum(b => b.CostUsd), rest.Sum(b => b.Share), rest.Sum(b => b.Requests))];
    }

    /// <summary>A round axis maximum at or above <paramref name="max"/>: 1, 2, 2.5 or 5 times a power of ten.</summary>
    public static double NiceCeiling(double max)
    {
        if (max <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= max * (1 - 1e-12))
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
