namespace WhisperEngine.Discord.Model;

/// <summary>How many sessions the bot may still start, and how many shards may identify at once.</summary>
public sealed record SessionStartLimit
{
    public int Total { get; init; }

    public int Remaining { get; init; }

    /// <summary>Milliseconds until <see cref="Remaining"/> is back to <see cref="Total"/>.</summary>
    public long ResetAfter { get; init; }

    /// <summary>Shards that may identify in the same 5-second window (shard id modulo this is the bucket).</summary>
    public int MaxConcurrency { get; init; } = 1;
}
