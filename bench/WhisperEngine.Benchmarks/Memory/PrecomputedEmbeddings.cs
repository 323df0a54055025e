using Microsoft.Extensions.AI;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// Vectors computed before the measurement, returned by text, with the model identity of the generator that made
/// them: lets a retriever be timed without its query embedding. A text that was not computed is an error, so a
/// measurement cannot fall back to the model unnoticed.
/// </summary>
internal sealed class PrecomputedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> source, IReadOnlyDictionary<string, Embedding<float>> vectors)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    public static async Task<PrecomputedEmbeddings> CreateAsync(IEmbeddingGenerator<string, Embedding<float>> source, IEnumerable<string> texts)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, Embedding<float>>(StringComparer.Ordinal);
        foreach (var chunk in distinct.Chunk(64))
        {
            var embedded = await source.GenerateAsync(chunk);
            for (var i = 0; i < chunk.Length; i++)
            {
                vectors[chunk[i]] = embedded[i];
            }
        }

        return new PrecomputedEmbeddings(source, vectors);
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(vectors.TryGetValue(value, out var vector)
                ? vector
                : throw new InvalidOperationException($"No precomputed vector for '{value}'."));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? source.GetService(serviceType, serviceKey)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The source generator belongs to the caller.
    }
}
