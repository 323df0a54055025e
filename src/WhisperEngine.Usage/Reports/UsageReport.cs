namespace WhisperEngine.Usage.Reports;

/// <summary>
/// Figures over a set of model calls (<see cref="UsageReportBuilder.Build"/>). Costs in US dollars; shares 0 to 1;
/// lists sorted by cost (highest first, then by name), days by date. Serialized as snake_case JSON.
/// </summary>
public sealed record UsageReport
{
    /// <summary>What was read: the CSV file or the ledger's database file.</summary>
    public required string Source { get; init; }

    /// <summary><c>openrouter</c> or <c>ledger</c>: says what <see cref="ByApiKey"/> and <see cref="ByApp"/> group by.</summary>
    public required string SourceKind { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public required int Requests { get; init; }
    public required decimal CostUsd { get; init; }
    public required double AvgPromptTokens { get; init; }
    public required double AvgCompletionTokens { get; init; }
    public required decimal AvgCostUsd { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CachedTokens { get; init; }
    public long ReasoningTokens { get; init; }

    /// <summary>Calls whose cost came from the price table because the source did not report one.</summary>
    public int CostFromPriceTable { get; init; }

    /// <summary>Calls with no reported cost and no price in the table; counted at $0.</summary>
    public int UnpricedRequests { get; init; }
    public IReadOnlyList<string> UnpricedModels { get; init; } = [];
    public required IReadOnlyList<ModelUsage> ByModel { get; init; }
    public required IReadOnlyList<DayUsage> ByDay { get; init; }

    /// <summary>OpenRouter: per API key name. Ledger: per bot.</summary>
    public required IReadOnlyList<GroupUsage> ByApiKey { get; init; }

    /// <summary>OpenRouter: per app name. Ledger: per task.</summary>
    public required IReadOnlyList<GroupUsage> ByApp { get; init; }
    public required IReadOnlyList<GroupUsage> ByOutcome { get; init; }
    /// <summary>
    /// Prompt tokens per call (per turn, for the chat task): the first entry covers every call (<c>all</c>), then one
    /// per task (ledger) or app (OpenRouter export), largest mean first. Shows what the context budget really sends.
    /// </summary>
    public required IReadOnlyList<TokenDistribution> PromptTokensPerRequest { get; init; }

    public required LatencySummary GenerationTimeMs { get; init; }
    public required LatencySummary TimeToFirstTokenMs { get; init; }
    public required ProjectionAssumptions ProjectionAssumptions { get; init; }
    public required IReadOnlyList<CostProjection> Projections { get; init; }
}
