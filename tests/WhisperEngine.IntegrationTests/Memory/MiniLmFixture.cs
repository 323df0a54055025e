using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>One real MiniLM model for the memory tests (it takes seconds to load).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}
