namespace WhisperEngine.UnitTests.Fakes;

/// <summary>
/// A clock fixed at <see cref="UtcNow"/> whose timers fire at once (on the thread pool) and record the due time
/// they were asked for, so code that waits can be tested without waiting.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _requestedDelays = [];

    public FakeTimeProvider(DateTimeOffset utcNow) => UtcNow = utcNow;

    public DateTimeOffset UtcNow { get; }

    /// <summary>The due time of every timer created, in order.</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays
    {
        get
        {
            lock (_gate)
            {
                return [.. _requestedDelays];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _requestedDelays.Add(dueTime);
        }

        var timer = new FakeTimer();
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!timer.IsDisposed)
                {
                    callback(state);
                }
            });
        }

        return timer;
    }
}
