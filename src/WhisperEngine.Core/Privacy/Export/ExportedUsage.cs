using WhisperEngine.Core.Usage;

namespace WhisperEngine.Core.Privacy.Export;

/// <summary>A model call made for the person, from the usage ledger (section <c>usage</c>).</summary>
public sealed record ExportedUsage
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string Bot { get; init; }

    /// <summary><c>chat</c>, <c>facts</c>, <c>summary</c>, ...</summary>
    public required string Task { get; init; }
    public required string Model { get; init; }
    public required string Provider { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int CachedTokens { get; init; }
    public bool TokensEstimated { get; init; }
    public decimal? CostUsd { get; init; }

    /// <summary>Where the cost came from (the provider's report or the price table), null when unknown.</summary>
    public string? CostSource { get; init; }
    public double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public required string Outcome { get; init; }
    public string? RoutingReason { get; init; }

    /// <summary>The export form of a ledger record (the person's ids are in the export's header, not repeated here).</summary>
    public static ExportedUsage From(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ExportedUsage
        {
            Timestamp = record.Timestamp,
            Bot = record.BotId,
            Task = record.Task,
            Model = record.Model,
            Provider = record.Provider,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CachedTokens = record.CachedTokens,
            TokensEstimated = record.TokensEstimated,
            CostUsd = record.CostUsd,
            CostSource = record.CostSource,
            LatencyMs = record.LatencyMs,
            TimeToFirstTokenMs = record.TimeToFirstTokenMs,
            Outcome = record.Outcome,
            RoutingReason = record.RoutingReason,
        };
    }
}
