using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Hnsw;

namespace WhisperEngine.Hosting;

/// <summary>DI wiring of long-term memory with local embeddings.</summary>
public static class LocalMemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers local MiniLM embeddings as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, vector indexes that
    /// switch to HNSW for large partitions (<see cref="HnswOptions"/>), and the memory writer and retriever. The memory
    /// store comes from the storage backend (<c>AddSqliteMemoryStore</c>, <c>AddPostgresMemoryStore</c>). The model
    /// loads once per process (shared by every host in it), on first use of memory or at start when the engine warms it up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Memory options.</param>
    /// <param name="hnsw">When partitions switch to HNSW.</param>
    /// <param name="precision">The local model's arithmetic (<c>ai.embeddings.precision</c>); its vectors carry their own model id.</param>
    public static IServiceCollection AddLocalMemory(this IServiceCollection services, MemoryOptions? options = null, HnswOptions? hnsw = null,
        EmbeddingPrecision precision = MiniLmEmbeddingGenerator.DefaultPrecision)
    {
        if (!services.Any(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>)))
        {
            // One model per process, shared by every host in it (tests start many); it loads on first use or at the warm-up.
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ => new SharedEmbeddingGenerator(precision));
            // The model's identity without loading it, for the model-change check at start (MemoryModelCheck).
            services.TryAddSingleton(MiniLmEmbeddingGenerator.MetadataFor(precision));
        }

        services.AddHnswVectorIndex(hnsw);
        services.AddWhisperEngineMemory(options);
        return services;
    }
}
