namespace WhisperEngine.Discord.Rest;

/// <summary>
/// The bot-wide limit: at most N requests in any one-second window, and nothing at all while a global 429 lasts.
/// </summary>
internal sealed class GlobalRateLimit(int perSecond, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private DateTimeOffset _blockedUntil;

    /// <summary>Waits for a slot and takes it.</summary>
    public async ValueTask<TimeSpan> AcquireAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (now < _blockedUntil)
                {
                    wait = _blockedUntil - now;
                }
                else
                {
                    while (_recent.Count > 0 && now - _recent.Peek() >= Window)
                    {
                        _recent.Dequeue();
                    }

                    if (_recent.Count < perSecond)
                    {
                        _recent.Enqueue(now);
                        return waited;
                    }

                    wait = _recent.Peek() + Window - now;
                }
            }

            waited += wait;
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    /// <summary>A global 429: every route waits <paramref name="retryAfter"/>.</summary>
    public void Block(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }
    }
}
