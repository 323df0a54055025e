using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Consolidation;

/// <summary>
/// Which memories have been summarised into which summary memory. A memory is consolidated at most once; summaries
/// are never consolidated again. Implementations keep this beside the memory store (same database).
/// </summary>
/// <remarks>Thread-safe. <see cref="BeginAsync"/> is one transaction: the sources are linked and down-weighted together or not at all.</remarks>
public interface IConsolidationStore
{
    /// <summary>
    /// Memories of a partition said before <paramref name="before"/> that are neither summarised nor summaries, ordered by
    /// channel and time, at most <paramref name="limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<MemoryRecord>> GetUnconsolidatedAsync(MemoryPartition partition, DateTimeOffset before, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Partitions with at least one session (a channel's memories of one UTC day) before <paramref name="before"/> of
    /// <paramref name="minMemories"/> or more unconsolidated memories, or with a pending consolidation; at most <paramref name="limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<MemoryPartition>> GetPartitionsToConsolidateAsync(DateTimeOffset before, int minMemories, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a consolidation: links its sources and multiplies their importance by the factor, in one transaction.
    /// Returns its id, or null (and changes nothing) when a source is missing or already consolidated.
    /// </summary>
    ValueTask<long?> BeginAsync(MemoryPartition partition, ConsolidationStart start, CancellationToken cancellationToken = default);

    /// <summary>Records the summary memory of a consolidation begun earlier.</summary>
    ValueTask CompleteAsync(MemoryPartition partition, long consolidationId, long summaryMemoryId, CancellationToken cancellationToken = default);

    /// <summary>Consolidations of a partition begun but not completed.</summary>
    ValueTask<IReadOnlyList<PendingConsolidation>> GetPendingAsync(MemoryPartition partition, CancellationToken cancellationToken = default);
}
