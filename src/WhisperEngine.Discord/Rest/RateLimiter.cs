namespace WhisperEngine.Discord.Rest;

/// <summary>
/// Discord's REST rate limits on the client side: a bucket per route and major parameter, re-keyed by Discord's
/// bucket hash once a response names it (routes sharing a hash share the bucket), and the global limit.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class RateLimiter : IDisposable
{
    private const int PruneThreshold = 1024;
    private static readonly TimeSpan IdleBucketAge = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RateLimitBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public RateLimiter(int globalPerSecond, TimeProvider time)
    {
        _time = time;
        Global = new GlobalRateLimit(globalPerSecond, time);
    }

    public GlobalRateLimit Global { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The bucket a request on <paramref name="route"/> belongs to now.</summary>
    public RateLimitBucket BucketFor(RouteKey route)
    {
        lock (_lock)
        {
            var key = _hashes.TryGetValue(route.Route, out var hash) ? Key(hash, route) : Key(route.Route, route);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                Prune();
                bucket = new RateLimitBucket { Hash = hash };
                _buckets[key] = bucket;
            }

            bucket.LastUsed = _time.GetUtcNow();
            return bucket;
        }
    }

    /// <summary>Applies a response's headers to the bucket of the request, learning Discord's bucket hash.</summary>
    public void Update(RouteKey route, RateLimitBucket bucket, RateLimitHeaders headers)
    {
        lock (_lock)
        {
            bucket.Update(headers, _time.GetUtcNow());
            if (headers.Bucket is { Length: > 0 } hash && bucket.Hash != hash)
            {
                bucket.Hash = hash;
                _hashes[route.Route] = hash;

                // Requests arriving from now on find this bucket under its hash; a bucket another route already
                // registered under the same hash wins, so both routes share one budget as Discord counts it.
                _buckets.TryAdd(Key(hash, route), bucket);
            }
        }
    }

    /// <summary>A 429 on the bucket (scope user or shared).</summary>
    public void Exhaust(RateLimitBucket bucket, TimeSpan retryAfter)
    {
        lock (_lock)
        {
            bucket.Exhaust(retryAfter, _time.GetUtcNow());
        }
    }

    /// <summary>How long the bucket must wait before its next request.</summary>
    public TimeSpan WaitTime(RateLimitBucket bucket)
    {
        lock (_lock)
        {
            return bucket.WaitTime(_time.GetUtcNow());
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var bucket in _buckets.Values.Distinct())
            {
                bucket.Dispose();
            }

            _buckets.Clear();
        }
    }

    private static string Key(string bucket, RouteKey route) => bucket + ":" + route.MajorParameter;

    private void Prune()
    {
        if (_buckets.Count < PruneThreshold)
        {
            return;
        }

        // Idle buckets of channels long quiet: forgetting them costs at most one request that learns the state again.
        var now = _time.GetUtcNow();
        foreach (var (key, bucket) in _buckets.ToArray())
        {
            if (now - bucket.LastUsed > IdleBucketAge && now > bucket.ResetAt && bucket.Gate.CurrentCount == 1)
            {
                _buckets.Remove(key);
            }
        }
    }
}
