namespace WhisperEngine.Usage.Reports;

/// <summary>Requests, tokens and cost of one UTC day.</summary>
public sealed record DayUsage(DateOnly Date, int Requests, decimal CostUsd, long PromptTokens, long CompletionTokens);
