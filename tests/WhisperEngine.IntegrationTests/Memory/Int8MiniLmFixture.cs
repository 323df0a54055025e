using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>The MiniLM model quantised to int8 at load (real ONNX Runtime).</summary>
public sealed class Int8MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Embedder { get; } = new(precision: EmbeddingPrecision.Int8);

    public void Dispose() => Embedder.Dispose();
}
