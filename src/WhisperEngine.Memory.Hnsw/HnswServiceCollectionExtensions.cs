using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.Memory.Indexing;

namespace WhisperEngine.Memory.Hnsw;

/// <summary>DI registration of the HNSW index for large memory partitions.</summary>
public static class HnswServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HnswVectorIndexFactory"/> as the <see cref="IVectorIndexFactory"/> (call before
    /// <c>AddWhisperEngineMemory</c>, which otherwise registers exact search for every partition).
    /// </summary>
    public static IServiceCollection AddHnswVectorIndex(this IServiceCollection services, HnswOptions? options = null)
    {
        options ??= new HnswOptions();
        options.Validate();
        services.TryAddSingleton(options);
        services.RemoveAll<IVectorIndexFactory>();
        services.AddSingleton<IVectorIndexFactory, HnswVectorIndexFactory>();
        return services;
    }
}
