using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Indexing;

/// <summary>Chooses and creates the index for a partition (the seam where HNSW takes over large partitions).</summary>
public interface IVectorIndexFactory
{
    /// <summary>Creates an empty index for <paramref name="partition"/>, which is about to receive <paramref name="expectedCount"/> vectors.</summary>
    IVectorIndex Create(MemoryPartition partition, int dimensions, int expectedCount);
}
