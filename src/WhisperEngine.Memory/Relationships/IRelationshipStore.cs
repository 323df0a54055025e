using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Relationships;

/// <summary>The relationship counters of each (tenant, bot, user) partition.</summary>
/// <remarks>Thread-safe. Deleting a memory partition (<see cref="Storage.IMemoryStore.DeletePartitionAsync"/>) deletes its relationship too.</remarks>
public interface IRelationshipStore
{
    /// <summary>The partition's counters; null before its first exchange.</summary>
    ValueTask<RelationshipStats?> GetAsync(MemoryPartition partition, CancellationToken cancellationToken = default);

    /// <summary>Counts one exchange at <paramref name="at"/> under <see cref="RelationshipRules"/> and returns the new counters.</summary>
    ValueTask<RelationshipStats> RecordExchangeAsync(MemoryPartition partition, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Deletes the partition's counters (a person forgotten); false when there were none.</summary>
    ValueTask<bool> DeleteAsync(MemoryPartition partition, CancellationToken cancellationToken = default);
}
