using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Storage;

/// <summary>
/// Durable long-term memory: records, their vectors (tagged with model and dimension) and a keyword index.
/// Implementations: SQLite (desktop tier); PostgreSQL later, against the same conformance tests.
/// </summary>
/// <remarks>
/// Thread-safe. Every operation names a partition (or a scope, which holds one), so no query reads across people,
/// bots or tenants. Vectors of another model than the one asked for are never returned as comparable: they are
/// counted by <see cref="GetEmbeddingInventoryAsync"/> and listed by <see cref="GetNeedingEmbeddingAsync"/>.
/// </remarks>
public interface IMemoryStore
{
    /// <summary>Stores a memory with its prompt token count and vector (null to embed later); durable when the task completes.</summary>
    ValueTask<MemoryRecord> AddAsync(NewMemory memory, int tokenCount, StoredEmbedding? embedding, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores many memories (an import, a benchmark's fill) with their token counts and vectors, in order; durable when
    /// the task completes. Backends store them in one transaction where they can; this default stores them one by one.
    /// </summary>
    async ValueTask<IReadOnlyList<MemoryRecord>> AddManyAsync(IReadOnlyList<(NewMemory Memory, int TokenCount, StoredEmbedding? Embedding)> memories,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memories);
        var records = new MemoryRecord[memories.Count];
        for (var i = 0; i < memories.Count; i++)
        {
            records[i] = await AddAsync(memories[i].Memory, memories[i].TokenCount, memories[i].Embedding, cancellationToken);
        }

        return records;
    }

    /// <summary>Returns the memories of a partition with these ids; unknown ids and other partitions' ids are left out.</summary>
    ValueTask<IReadOnlyList<MemoryRecord>> GetAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Returns every vector of a partition made by <paramref name="model"/>, for a vector index to load.</summary>
    ValueTask<IReadOnlyList<MemoryVectorEntry>> GetVectorsAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default);

    /// <summary>
    /// Full-text search within what <paramref name="scope"/> allows, best first. The query is free text (a question);
    /// the store extracts its terms (<see cref="Retrieval.KeywordTerms"/>). A memory must match in its text or context;
    /// a match on words found in most memories only is not a hit. Returns nothing when no term matches.
    /// </summary>
    ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts a partition's memories by the model of their vector.</summary>
    ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(MemoryPartition partition, CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> memories of a partition whose vector is missing or was made by another model.</summary>
    ValueTask<IReadOnlyList<MemoryRecord>> GetNeedingEmbeddingAsync(MemoryPartition partition, EmbeddingModelId model, int limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces the vector of a memory (re-embedding after a change of model).</summary>
    ValueTask SetEmbeddingAsync(MemoryPartition partition, long id, StoredEmbedding embedding, CancellationToken cancellationToken = default);

    /// <summary>Counts one more recall of each memory, at <paramref name="at"/> (input to importance and decay).</summary>
    ValueTask RecordAccessAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Deletes every memory of a partition (a person asking to be forgotten by a bot); returns how many.</summary>
    ValueTask<int> DeletePartitionAsync(MemoryPartition partition, CancellationToken cancellationToken = default);

    /// <summary>Counts the memories of a partition.</summary>
    ValueTask<long> CountAsync(MemoryPartition partition, CancellationToken cancellationToken = default);
}
