namespace WhisperEngine.Core.Usage;

/// <summary>Durable record of every model call: tokens, cost, latency, outcome.</summary>
/// <remarks>Thread-safe. Recording never throws to the caller's turn: implementations log and drop on failure.</remarks>
public interface IUsageLedger
{
    /// <summary>Appends one record.</summary>
    ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default);

    /// <summary>Returns the newest records, newest first.</summary>
    ValueTask<IReadOnlyList<UsageRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the records with <paramref name="since"/> &lt;= timestamp &lt; <paramref name="until"/>, oldest first;
    /// a null bound is open. For reports: unlike <see cref="RecordAsync"/>, a failed read throws.
    /// </summary>
    IAsyncEnumerable<UsageRecord> ReadAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken = default);
}
