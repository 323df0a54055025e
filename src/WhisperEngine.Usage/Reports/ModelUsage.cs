namespace WhisperEngine.Usage.Reports;

/// <summary>One model's part of a report.</summary>
/// <param name="Model">The model id as the source names it.</param>
/// <param name="Requests">Calls to the model.</param>
/// <param name="CostUsd">Their cost in US dollars.</param>
/// <param name="Share">This model's share of the total cost, 0 to 1.</param>
/// <param name="RequestShare">This model's share of the requests, 0 to 1.</param>
/// <param name="PromptTokens">Prompt tokens of all its calls.</param>
/// <param name="CompletionTokens">Completion tokens of all its calls.</param>
/// <param name="AvgPromptTokens">Prompt tokens per call.</param>
/// <param name="AvgCompletionTokens">Completion tokens per call.</param>
/// <param name="AvgCostUsd">Cost per call.</param>
public sealed record ModelUsage(
    string Model,
    int Requests,
    decimal CostUsd,
    double Share,
    double RequestShare,
    long PromptTokens,
    long CompletionTokens,
    double AvgPromptTokens,
    double AvgCompletionTokens,
    decimal AvgCostUsd);
