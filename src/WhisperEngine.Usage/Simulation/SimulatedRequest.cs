namespace WhisperEngine.Usage.Simulation;

/// <summary>One request of the export: what it cost, and what the policy would have chosen and paid.</summary>
public sealed record SimulatedRequest(DateTimeOffset Timestamp, string ActualModel, decimal ActualCostUsd, string ChosenModel, string Reason,
    decimal? SimulatedCostUsd, int PromptTokens, int CompletionTokens);
