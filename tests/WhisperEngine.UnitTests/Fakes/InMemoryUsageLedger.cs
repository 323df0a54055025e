using System.Runtime.CompilerServices;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>Keeps usage records in a list.</summary>
public sealed class InMemoryUsageLedger : IUsageLedger
{
    private readonly Lock _gate = new();
    private readonly List<UsageRecord> _records = [];

    /// <summary>Every record, oldest first.</summary>
    public IReadOnlyList<UsageRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>When set, each write waits for it first (a slow ledger).</summary>
    public Task? WriteGate { get; set; }

    public async ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        if (WriteGate is { } gate)
        {
            await gate;
        }

        lock (_gate)
        {
            _records.Add(record);
        }
    }

    public ValueTask<IReadOnlyList<UsageRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<UsageRecord> recent = [.. _records.AsEnumerable().Reverse().Take(limit)];
            return ValueTask.FromResult(recent);
        }
    }

    public async IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset? since, DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in Records.Where(r => (since is null || r.Timestamp >= since) && (until is null || r.Timestamp < until)).OrderBy(r => r.Timestamp))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return record;
        }
    }
}
