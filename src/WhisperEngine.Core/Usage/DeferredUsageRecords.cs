namespace WhisperEngine.Core.Usage;

/// <summary>
/// The usage records of a streamed model call that its caller waits for later, together with its own store calls,
/// instead of before the stream ends: a turn stores its reply while the ledger writes, and returns only when both are
/// done. Set on <see cref="UsageContext.Deferred"/>; without it the stream waits for its record.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DeferredUsageRecords
{
    private readonly Lock _gate = new();
    private readonly List<Task> _pending = [];

    /// <summary>Adds a record being written (the ledger never throws to the caller: it logs and drops on failure).</summary>
    public void Add(Task recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        lock (_gate)
        {
            _pending.Add(recording);
        }
    }

    /// <summary>Completes when every record added so far is written.</summary>
    public Task WhenRecordedAsync()
    {
        lock (_gate)
        {
            return _pending.Count switch
            {
                0 => Task.CompletedTask,
                1 => _pending[0],
                _ => Task.WhenAll(_pending.ToArray()),
            };
        }
    }
}
