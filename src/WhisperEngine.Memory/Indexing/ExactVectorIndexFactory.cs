using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Indexing;

/// <summary>Creates <see cref="ExactVectorIndex"/>es for every partition.</summary>
public sealed class ExactVectorIndexFactory : IVectorIndexFactory
{
    public IVectorIndex Create(MemoryPartition partition, int dimensions, int expectedCount) => new ExactVectorIndex(dimensions, expectedCount);
}
