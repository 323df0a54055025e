using System.Globalization;

namespace WhisperEngine.Benchmarks;

/// <summary>Order statistics of a sample (nearest-rank percentiles, as a latency report would use).</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = [.. values.Order()];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }
    }

    public int Count => _sorted.Length;

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    public double Mean => _sorted.Average();

    public double Median => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/>% of the sample at or below it.</summary>
    public double Percentile(double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}
