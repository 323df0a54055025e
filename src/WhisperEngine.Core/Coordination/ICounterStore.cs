namespace WhisperEngine.Core.Coordination;

/// <summary>
/// Counters that several processes share (rate limits, budgets): add to a counter within a time window and read
/// the total. In-process for one process; Redis when several processes must agree.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public interface ICounterStore
{
    /// <summary>Adds <paramref name="amount"/> to the counter <paramref name="key"/> of the current window and returns the new total.</summary>
    ValueTask<long> AddAsync(string key, long amount, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>The counter's total in the current window (0 when absent).</summary>
    ValueTask<long> GetAsync(string key, CancellationToken cancellationToken = default);
}
