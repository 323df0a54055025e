using System.Diagnostics.Metrics;

namespace WhisperEngine.Core.Turns;

/// <summary>Turn-level metrics (meter <see cref="MeterName"/>): turns by outcome, turn duration, time to first token.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class TurnMetrics
{
    public const string MeterName = "WhisperEngine";

    private readonly Counter<long> _turns;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<long> _promptTokens;

    public TurnMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _turns = meter.CreateCounter<long>("whisperengine.turns", "{turn}", "Turns handled, by bot and outcome");
        // Seconds, from a fast local model to a slow reasoning one.
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120] };
        _duration = meter.CreateHistogram("whisperengine.turn.duration", "s", "Time from accepting a message to the stored reply", tags: null, advice: buckets);
        _firstToken = meter.CreateHistogram("whisperengine.turn.time_to_first_token", "s", "Time from accepting a message to the first reply text", tags: null, advice: buckets);
        _promptTokens = meter.CreateCounter<long>("whisperengine.prompt.tokens", "{token}", "Prompt tokens sent, by bot");
    }

    public void Completed(string botId, string outcome, TimeSpan duration, TimeSpan? firstToken, int promptTokens)
    {
        var bot = new KeyValuePair<string, object?>("bot", botId);
        _turns.Add(1, bot, new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(duration.TotalSeconds, bot);
        if (firstToken is { } ttft)
        {
            _firstToken.Record(ttft.TotalSeconds, bot);
        }

        if (promptTokens > 0)
        {
            _promptTokens.Add(promptTokens, bot);
        }
    }
}
