namespace WhisperEngine.Discord.Gateway;

/// <summary>
/// Discord's identify rate limit: shards whose <c>shard_id % max_concurrency</c> is equal share a bucket, and each
/// bucket may start one session per 5 seconds. Share one queue between all shards of one bot (one token).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class IdentifyQueue
{
    /// <summary>Discord's identify window.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<int, DateTimeOffset> _nextSlot = [];
    private readonly TimeProvider _time;

    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="interval">The window per bucket; <see cref="DefaultInterval"/> when null.</param>
    public IdentifyQueue(TimeProvider? time = null, TimeSpan? interval = null)
    {
        _time = time ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
    }

    public TimeSpan Interval { get; }

    /// <summary>Waits until shard <paramref name="shardId"/> may identify and takes the slot; returns the time waited.</summary>
    public async Task<TimeSpan> WaitTurnAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken = default)
    {
        var bucket = shardId % Math.Max(1, maxConcurrency);
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var slot = _nextSlot.TryGetValue(bucket, out var next) && next > now ? next : now;
            _nextSlot[bucket] = slot + Interval;
            wait = slot - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        return wait;
    }
}
