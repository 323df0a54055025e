namespace WhisperEngine.Discord.Rest;

/// <summary>
/// One rate-limit bucket: a route (or a set of routes sharing Discord's bucket hash) for one major parameter.
/// Requests in a bucket go one at a time, so none is sent while the bucket is exhausted.
/// </summary>
internal sealed class RateLimitBucket : IDisposable
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Discord's bucket hash, once a response named it.</summary>
    public string? Hash { get; set; }

    public int? Limit { get; set; }

    /// <summary>Requests left until <see cref="ResetAt"/>; null until a response told.</summary>
    public int? Remaining { get; set; }

    public DateTimeOffset ResetAt { get; set; }

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>How long to wait before the next request may go out.</summary>
    public TimeSpan WaitTime(DateTimeOffset now) => Remaining == 0 && ResetAt > now ? ResetAt - now : TimeSpan.Zero;

    public void Update(RateLimitHeaders headers, DateTimeOffset now)
    {
        Limit = headers.Limit ?? Limit;
        if (headers.Remaining is { } remaining)
        {
            Remaining = remaining;
        }

        if (headers.ResetAfter is { } resetAfter)
        {
            ResetAt = now + resetAfter;
        }
    }

    /// <summary>A 429 on this bucket: nothing more until <paramref name="retryAfter"/> has passed.</summary>
    public void Exhaust(TimeSpan retryAfter, DateTimeOffset now)
    {
        Remaining = 0;
        var until = now + retryAfter;
        if (until > ResetAt)
        {
            ResetAt = until;
        }
    }

    public void Dispose() => Gate.Dispose();
}
