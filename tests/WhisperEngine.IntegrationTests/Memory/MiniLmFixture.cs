using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>One real MiniLM model for the memory tests (it takes seconds to load), at float32: the package's vectors.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Embedder { get; } = new(precision: EmbeddingPrecision.Float32);

    public void Dispose() => Embedder.Dispose();
}
