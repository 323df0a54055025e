namespace WhisperEngine.UnitTests.Fakes;

/// <summary>The timer <see cref="FakeTimeProvider"/> hands out; it only remembers being disposed.</summary>
public sealed class FakeTimer : ITimer
{
    private volatile bool _disposed;

    public bool IsDisposed => _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period) => !_disposed;

    public void Dispose() => _disposed = true;

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}
