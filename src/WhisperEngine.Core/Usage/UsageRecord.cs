namespace WhisperEngine.Core.Usage;

/// <summary>One model call as the usage ledger records it.</summary>
public sealed record UsageRecord
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string TenantId { get; init; }
    public required string BotId { get; init; }
    public required string UserId { get; init; }

    /// <summary>What the call was for: <c>chat</c>, <c>facts</c>, <c>summary</c>, ...</summary>
    public required string Task { get; init; }
    public required string Model { get; init; }
    public required string Provider { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int CachedTokens { get; init; }

    /// <summary>True when the provider did not report token counts and they were counted locally.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>Cost in US dollars, null when no price is known.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Where <see cref="CostUsd"/> came from: <see cref="CostSources.Provider"/> (the cost the provider
    /// reported for the call) or <see cref="CostSources.PriceTable"/>; null when no cost is known.</summary>
    public string? CostSource { get; init; }
    public double LatencyMs { get; init; }

    /// <summary>Time to the first streamed token, null for failed or non-streamed calls.</summary>
    public double? TimeToFirstTokenMs { get; init; }

    /// <summary><c>ok</c>, or the failure kind (<c>http_429</c>, <c>timeout</c>, <c>stream_dropped</c>, ...).</summary>
    public required string Outcome { get; init; }

    /// <summary>Why this model was chosen for the call.</summary>
    public string? RoutingReason { get; init; }
}
