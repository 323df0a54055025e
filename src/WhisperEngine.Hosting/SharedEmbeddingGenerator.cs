using Microsoft.Extensions.AI;
using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.Hosting;

/// <summary>
/// The process's one local MiniLM model, shared by every engine host in the process (tests start many): the model is
/// read-only and thread-safe, and loads once. Disposing a host leaves it loaded.
/// </summary>
internal sealed class SharedEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly Lazy<MiniLmEmbeddingGenerator> Model = new(() => new MiniLmEmbeddingGenerator(), LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default) => Model.Value.GenerateAsync(values, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(SharedEmbeddingGenerator) ? this : Model.Value.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // Shared: stays loaded for the process.
    }
}
