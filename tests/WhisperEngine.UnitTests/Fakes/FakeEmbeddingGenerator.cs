using Microsoft.Extensions.AI;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>Embeds text as word counts hashed into 64 buckets; counts its calls.</summary>
public sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 64;

    public int Calls { get; private set; }

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', '?', '!', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % Dimensions)] += 1;
        }

        vector[0] += 0.01f;
        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, "fake-embedder", Dimensions) : null;

    public void Dispose()
    {
    }
}
