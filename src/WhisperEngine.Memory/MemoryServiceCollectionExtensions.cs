using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory;

/// <summary>DI registration of long-term memory.</summary>
public static class MemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the memory writer, the hybrid retriever and the vector indexes. Needs an <see cref="Storage.IMemoryStore"/>
    /// (a backend's <c>AddXyzMemoryStore</c>), an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>, an
    /// <see cref="Core.Context.ITokenCounter"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddWhisperEngineMemory(this IServiceCollection services, MemoryOptions? options = null)
    {
        options ??= new MemoryOptions();
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton<IVectorIndexFactory, ExactVectorIndexFactory>();
        services.TryAddSingleton<VectorIndexRegistry>();
        services.TryAddSingleton<MemoryWriter>();
        services.TryAddSingleton<HybridRetriever>();
        services.TryAddSingleton<IMemoryRetriever>(sp => sp.GetRequiredService<HybridRetriever>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
