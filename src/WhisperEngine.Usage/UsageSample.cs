using WhisperEngine.Core.Usage;

namespace WhisperEngine.Usage;

/// <summary>
/// One model call as a report sees it, whatever it came from: a row of an OpenRouter activity export or a record of the
/// usage ledger (<see cref="FromRecord"/>).
/// </summary>
public sealed record UsageSample
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string Model { get; init; }
    public string Provider { get; init; } = "";
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int CachedTokens { get; init; }
    public int ReasoningTokens { get; init; }

    /// <summary>Cost in US dollars as the provider reported it (or the ledger recorded it); null when unknown.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>True when <see cref="CostUsd"/> was computed from the price table, not reported.</summary>
    public bool CostFromPriceTable { get; init; }

    /// <summary>Generation time (OpenRouter <c>generation_time_ms</c>; the ledger's whole-call latency).</summary>
    public double? GenerationTimeMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }

    /// <summary>OpenRouter: the API key's name (in the seed, one key per bot). Ledger: the bot.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>OpenRouter: the app name sent as <c>X-Title</c>. Ledger: the task (<c>chat</c>, <c>facts</c>, ...).</summary>
    public string App { get; init; } = "";

    /// <summary>Who the call was for, empty when the source does not say.</summary>
    public string User { get; init; } = "";

    /// <summary><c>ok</c>, <c>cancelled</c>, or a failure kind.</summary>
    public string Outcome { get; init; } = "ok";

    /// <summary>Maps a usage-ledger record.</summary>
    public static UsageSample FromRecord(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new UsageSample
        {
            Timestamp = record.Timestamp,
            Model = record.Model,
            Provider = record.Provider,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CachedTokens = record.CachedTokens,
            CostUsd = record.CostUsd,
            CostFromPriceTable = record.CostSource == CostSources.PriceTable,
            GenerationTimeMs = record.LatencyMs,
            TimeToFirstTokenMs = record.TimeToFirstTokenMs,
            ApiKey = record.BotId,
            App = record.Task,
            User = record.UserId,
            Outcome = record.Outcome,
        };
    }
}
