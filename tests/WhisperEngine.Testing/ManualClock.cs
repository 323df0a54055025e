namespace WhisperEngine.Testing;

/// <summary>
/// A clock whose wall time a test sets and moves (<see cref="Advance"/>): "days later" without waiting. Timers and
/// timestamps for measuring elapsed time stay real, so timeouts and delays behave as in production.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the wall time forward by <paramref name="delta"/>.</summary>
    public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);
}
