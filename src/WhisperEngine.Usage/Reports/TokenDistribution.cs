namespace WhisperEngine.Usage.Reports;

/// <summary>How many prompt tokens the calls of one group (a task, an app, or all of them) sent.</summary>
/// <param name="Name">The group: a task in the ledger (<c>chat</c>, <c>facts</c>, ...), an app in an OpenRouter export, or <c>all</c>.</param>
/// <param name="PromptTokens">Count, mean and nearest-rank percentiles of prompt tokens per call.</param>
public sealed record TokenDistribution(string Name, LatencySummary PromptTokens);
