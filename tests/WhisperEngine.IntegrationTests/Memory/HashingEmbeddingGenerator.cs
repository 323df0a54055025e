using Microsoft.Extensions.AI;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>A stand-in embedding model with another id: words hashed into buckets. Used to change models under a store.</summary>
public sealed class HashingEmbeddingGenerator(string modelId, int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            var vector = new float[dimensions];
            foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % (uint)dimensions)] += 1;
            }

            vector[0] += 0.01f;
            result.Add(new Embedding<float>(vector) { ModelId = modelId });
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("hashing", null, modelId, dimensions) : null;

    public void Dispose()
    {
    }
}
