using Microsoft.Extensions.AI;
using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.Hosting;

/// <summary>
/// The process's local MiniLM model at one precision, shared by every engine host in the process (tests start many):
/// the model is read-only and thread-safe, and loads once per precision. Disposing a host leaves it loaded.
/// </summary>
internal sealed class SharedEmbeddingGenerator(EmbeddingPrecision precision) : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly Lazy<MiniLmEmbeddingGenerator> Int8 =
        new(() => new MiniLmEmbeddingGenerator(precision: EmbeddingPrecision.Int8), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<MiniLmEmbeddingGenerator> Float32 =
        new(() => new MiniLmEmbeddingGenerator(precision: EmbeddingPrecision.Float32), LazyThreadSafetyMode.ExecutionAndPublication);

    private MiniLmEmbeddingGenerator Model => precision == EmbeddingPrecision.Float32 ? Float32.Value : Int8.Value;

    /// <summary>The model's identity, known without loading it.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; } = MiniLmEmbeddingGenerator.MetadataFor(precision);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default) => Model.GenerateAsync(values, options, cancellationToken);

    // The metadata without loading the model. Services that only read the model's id (the retriever, at construction)
    // asked the model for it, which loaded it, also in a serve with memory off: ~460 MB of temporary arrays at start
    // and ~700 MiB idle instead of ~145 (docs/benchmarks.md §2).
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(SharedEmbeddingGenerator) ? this
        : serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : Model.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // Shared: stays loaded for the process.
    }
}
