using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// Nearest-neighbour search over the vectors of one partition, held in memory and kept in sync with the store by
/// the writer. <see cref="ExactVectorIndex"/> scans every vector (exact; fast for the thousands of memories one
/// person has with one bot); an approximate index (HNSW) can take over large partitions behind
/// <see cref="IVectorIndexFactory"/>.
/// </summary>
/// <remarks>Implementations are thread-safe: searches run in parallel with each other and with writes.</remarks>
public interface IVectorIndex
{
    /// <summary>The vector length every entry has.</summary>
    int Dimensions { get; }

    /// <summary>Number of vectors held.</summary>
    int Count { get; }

    /// <summary>Adds a vector, or replaces the one with the same id. Vectors are normalised on the way in.</summary>
    void Upsert(MemoryVectorEntry entry);

    /// <summary>
    /// Adds many vectors, as when a partition loads. An approximate index builds its graph once for all of them
    /// (batch adds) instead of growing it one vector at a time.
    /// </summary>
    void UpsertRange(IEnumerable<MemoryVectorEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Upsert(entry);
        }
    }

    /// <summary>Removes a vector; false when it was not there.</summary>
    bool Remove(long id);

    /// <summary>The <paramref name="k"/> entries most similar (cosine) to <paramref name="query"/> that <paramref name="scope"/> allows, best first.</summary>
    IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, RecallScope scope);

    /// <summary>Cosine similarity between two held vectors; null when either is not held.</summary>
    float? Similarity(long a, long b);
}
