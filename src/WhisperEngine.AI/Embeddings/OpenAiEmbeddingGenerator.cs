using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>/embeddings</c> endpoint (OpenAI, OpenRouter, Ollama, LM Studio, vLLM), the
/// option to the local MiniLM model (<c>ai.embeddings.provider: openai</c>). It reports the configured model id and
/// dimension as its metadata, so memory tags every vector with them; a vector of another length is refused with an
/// error naming the setting, never stored.
/// </summary>
/// <remarks>Thread-safe; one connection pool. The SDK retries transient failures twice; each call is bounded by the timeout.</remarks>
public sealed class OpenAiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly int _dimensions;

    /// <param name="endpoint">The API base URL, e.g. <c>https://api.openai.com/v1</c>.</param>
    /// <param name="apiKey">The key (null or empty for local servers that need none); never logged.</param>
    /// <param name="model">The embedding model id, e.g. <c>text-embedding-3-small</c>.</param>
    /// <param name="dimensions">The length of the vectors the model returns.</param>
    /// <param name="timeout">Longest wait for one request.</param>
    public OpenAiEmbeddingGenerator(Uri endpoint, string? apiKey, string model, int dimensions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        _dimensions = dimensions;
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "not-needed" : apiKey), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 2),
            NetworkTimeout = timeout,
            UserAgentApplicationId = "whisperengine",
        });
        _inner = client.GetEmbeddingClient(model).AsIEmbeddingGenerator();
        _metadata = new EmbeddingGeneratorMetadata("openai", endpoint, model, dimensions);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await _inner.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        foreach (var embedding in result)
        {
            if (embedding.Vector.Length != _dimensions)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The embedding model {_metadata.DefaultModelId} returned vectors of {embedding.Vector.Length} numbers, but ai.embeddings.dimensions is {_dimensions}; " +
                    $"set ai.embeddings.dimensions: {embedding.Vector.Length} (memories already stored keep their vectors until `whisperengine memory reembed`)."));
            }
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose() => _inner.Dispose();
}
