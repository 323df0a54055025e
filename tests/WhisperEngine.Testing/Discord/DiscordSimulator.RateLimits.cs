using System.Globalization;
using System.Text.Json.Nodes;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private readonly Dictionary<string, SimulatedBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private DateTimeOffset _globalBlockedUntil;

    /// <summary>Rate limits and injected faults, in the order Discord applies them; null admits the request. Holds _lock.</summary>
    private RestAnswer? Admit(SimulatedRestRequest request, string hash, string major, int limit)
    {
        var now = request.ReceivedAt;
        while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1))
        {
            _globalWindow.Dequeue();
        }

        if (now < _globalBlockedUntil)
        {
            return RateLimited(global: true, _globalBlockedUntil - now, hash, major, limit);
        }

        if (_globalWindow.Count >= Options.GlobalLimitPerSecond)
        {
            return RateLimited(global: true, _globalWindow.Peek() + TimeSpan.FromSeconds(1) - now, hash, major, limit);
        }

        _globalWindow.Enqueue(now);
        var bucket = Bucket(hash, major, limit, now);
        if (now < bucket.BlockedUntil)
        {
            return RateLimited(global: false, bucket.BlockedUntil - now, hash, major, limit);
        }

        if (bucket.Remaining <= 0)
        {
            return RateLimited(global: false, bucket.ResetAt - now, hash, major, limit);
        }

        var failure = _pending5xx.FindIndex(f => f.PathContains is null || request.Path.Contains(f.PathContains, StringComparison.Ordinal));
        if (failure >= 0)
        {
            var status = _pending5xx[failure].Status;
            _pending5xx.RemoveAt(failure);
            request.Injected = true;
            return RestAnswer.Error(status, status + ": Simulated server error", 0);
        }

        var limited = _pending429.FindIndex(f => f.PathContains is null || request.Path.Contains(f.PathContains, StringComparison.Ordinal));
        if (limited >= 0)
        {
            var (scope, retryAfter, _) = _pending429[limited];
            _pending429.RemoveAt(limited);
            request.Injected = true;
            if (scope == SimulatedRateLimitScope.Global)
            {
                _globalBlockedUntil = now + retryAfter;
            }
            else
            {
                bucket.BlockedUntil = now + retryAfter;
            }

            return RateLimited(scope == SimulatedRateLimitScope.Global, retryAfter, hash, major, limit);
        }

        bucket.Remaining--;
        return null;
    }

    private SimulatedBucket Bucket(string hash, string major, int limit, DateTimeOffset now)
    {
        var key = hash + ":" + major;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new SimulatedBucket { Remaining = limit, ResetAt = now + Options.RouteResetAfter };
            _buckets[key] = bucket;
        }
        else if (now >= bucket.ResetAt)
        {
            bucket.Remaining = limit;
            bucket.ResetAt = now + Options.RouteResetAfter;
        }

        return bucket;
    }

    private RestAnswer RateLimited(bool global, TimeSpan retryAfter, string hash, string major, int limit)
    {
        var seconds = Math.Ceiling(retryAfter.TotalMilliseconds) / 1000;
        var body = new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = seconds,
            ["global"] = global,
        };
        List<(string, string)> headers =
        [
            ("Retry-After", Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture)),
            ("X-RateLimit-Scope", global ? "global" : "user"),
        ];
        if (global)
        {
            headers.Add(("X-RateLimit-Global", "true"));
        }
        else
        {
            headers.Add(("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture)));
            headers.Add(("X-RateLimit-Remaining", "0"));
            headers.Add(("X-RateLimit-Reset-After", seconds.ToString("0.000", CultureInfo.InvariantCulture)));
            headers.Add(("X-RateLimit-Bucket", hash));
        }

        return new RestAnswer(429, body) { Headers = headers };
    }

    /// <summary>The bucket headers of an admitted request. Holds no lock; reads a consistent-enough snapshot.</summary>
    private List<(string, string)> BucketHeaders(string hash, string major, int limit)
    {
        lock (_lock)
        {
            var bucket = _buckets[hash + ":" + major];
            var resetAfter = Math.Max(0, Math.Ceiling((bucket.ResetAt - DateTimeOffset.UtcNow).TotalMilliseconds) / 1000);
            return
            [
                ("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture)),
                ("X-RateLimit-Remaining", bucket.Remaining.ToString(CultureInfo.InvariantCulture)),
                ("X-RateLimit-Reset", (bucket.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)),
                ("X-RateLimit-Reset-After", resetAfter.ToString("0.000", CultureInfo.InvariantCulture)),
                ("X-RateLimit-Bucket", hash),
            ];
        }
    }
}
