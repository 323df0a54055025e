namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>Timings of one operation in milliseconds, with nearest-rank percentiles.</summary>
internal sealed class LatencySample
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public double P50 => Percentile.Of(_ms, 50);

    public double P95 => Percentile.Of(_ms, 95);

    public double P99 => Percentile.Of(_ms, 99);

    public void Add(TimeSpan elapsed) => _ms.Add(elapsed.TotalMilliseconds);
}
