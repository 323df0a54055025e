namespace WhisperEngine.IntegrationTests.Support;

/// <summary>A clock that moves only when told to (timers are not supported: nothing here waits on it).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
