using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Storage;

/// <summary>
/// Store-wide views of memory for administration (the <c>memory</c> CLI, exports and erasure, the model-change check),
/// beside <see cref="IMemoryStore"/>'s per-partition operations on the turn path. Implemented by each memory backend.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public interface IMemoryCatalog
{
    /// <summary>Returns the partitions (also those whose memories were all deleted), filtered by each non-null argument, sorted by tenant, bot and user.</summary>
    ValueTask<IReadOnlyList<MemoryPartition>> ListPartitionsAsync(string? tenantId = null, string? botId = null, string? userId = null,
        CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> memories of a partition, newest (by when they were said) first.</summary>
    ValueTask<IReadOnlyList<MemoryRecord>> ListAsync(MemoryPartition partition, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts every memory of the store by the model of its vector (null: none yet).</summary>
    ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what the keyword index keeps of deleted memories (an FTS5 index keeps their words in its segments until they
    /// are merged): run after an erasure, before the storage is compacted. Takes time in proportion to the whole index.
    /// </summary>
    ValueTask PurgeDeletedAsync(CancellationToken cancellationToken = default);
}
