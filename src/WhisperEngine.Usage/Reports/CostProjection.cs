namespace WhisperEngine.Usage.Reports;

/// <summary>Projected requests and cost for <see cref="Users"/> users who each use the bots as the data's users did.</summary>
public sealed record CostProjection(int Users, double RequestsPerDay, double RequestsPerYear, decimal CostPerMonthUsd, decimal CostPerYearUsd);
