namespace WhisperEngine.Usage.Reports;

/// <summary>
/// Distribution of one timing in milliseconds over the calls that report it (<see cref="Count"/>); null values when none do.
/// Percentiles are nearest-rank (see <see cref="Percentiles"/>): each is a time that was actually observed.
/// </summary>
public sealed record LatencySummary(int Count, double? Mean, double? P50, double? P90, double? P95, double? P99, double? Max);
