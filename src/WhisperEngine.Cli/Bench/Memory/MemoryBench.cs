using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Hnsw;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>
/// Memory speed at scale: fills one partition with N synthetic conversational memories through the engine's write
/// path, then times, on the same store and queries, the query embedding (the package's encoder and the engine's
/// runner), the vector search (exact scan and HNSW, with HNSW's recall against the exact top 10), the keyword search,
/// whole hybrid searches (baseline: package encoder, exact scan, keyword search of every query word; the engine's
/// runner with exact scan; with HNSW),
/// and memory writes (embed, count tokens, insert with FTS, index update) with each encoder. The engine's runner works at
/// <see cref="MemoryBenchOptions.Precision"/>; query and memory embeddings at the other precision are timed beside it.
/// </summary>
internal sealed partial class MemoryBench
{
    private static readonly MemoryPartition Partition = new("bench", "elena", "sam");
    private readonly MemoryBenchOptions _options;

    public MemoryBench(MemoryBenchOptions options) => _options = options;

    /// <summary>Reports progress: a phase, how far it is, and its total.</summary>
    public Action<string, int, int>? OnProgress { get; init; }

    public async Task<IReadOnlyList<MemoryBenchRun>> RunAsync(IBenchStore target, CancellationToken cancellationToken)
    {
        using var engine = new MiniLmEmbeddingGenerator(warmUp: false, _options.EmbeddingThreads, _options.Precision);
        using var other = new MiniLmEmbeddingGenerator(warmUp: false, _options.EmbeddingThreads, _options.OtherPrecision);
        using var package = _options.Baseline ? new PackageMiniLmEmbeddingGenerator(warmUp: false) : null;
        var tokens = new TiktokenTokenCounter(warmUp: false);
        tokens.CountTokens("warm up");
        await engine.GenerateAsync(["warm up"], cancellationToken: cancellationToken);
        await other.GenerateAsync(["warm up"], cancellationToken: cancellationToken);
        if (package is not null)
        {
            await package.GenerateAsync(["warm up"], cancellationToken: cancellationToken);
        }

        var runs = new List<MemoryBenchRun>();
        foreach (var size in _options.Sizes)
        {
            runs.Add(await RunSizeAsync(target, size, engine, other, package, tokens, cancellationToken));
        }

        return runs;
    }

    private async Task<MemoryBenchRun> RunSizeAsync(IBenchStore target, int size, MiniLmEmbeddingGenerator engine, MiniLmEmbeddingGenerator other,
        PackageMiniLmEmbeddingGenerator? package, TiktokenTokenCounter tokens, CancellationToken cancellationToken)
    {
        var run = new MemoryBenchRun { Memories = size };
        // v2: the person's memories carry the bot's answer as their reply (keyword-indexed), as the engine writes them.
        // Each precision has its own vectors, so its own dataset (the float32 name is the one of earlier runs).
        var dataset = $"minilm{(engine.Precision == EmbeddingPrecision.Int8 ? "-int8" : "")}-{size}-seed{_options.Seed}-v2";
        var store = target.Open(dataset, out var filled);
        if (!filled || await store.CountAsync(Partition, cancellationToken) != size)
        {
            await store.DeletePartitionAsync(Partition, cancellationToken);
            var watch = Stopwatch.StartNew();
            await FillAsync(store, engine, tokens, size, cancellationToken);
            run.FillSeconds = watch.Elapsed.TotalSeconds;
            target.Keep(dataset);
        }

        if (target.LinkReplies(dataset))
        {
            target.Keep(dataset);
        }

        // The keyword search as it was before its row budget: every word of the query (the baseline search uses it).
        var everyWord = target.OpenVariant(dataset, new MemoryOptions { KeywordRowBudget = 0 });

        var model = new EmbeddingModelId(engine.ModelIdentifier, MiniLmEmbeddingGenerator.Dimensions);
        var exactIndexes = new VectorIndexRegistry(store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        var hnswOptions = new HnswOptions
        {
            MinimumPartitionSize = 1,
            Connectivity = _options.Hnsw.Connectivity,
            ExpansionAdd = _options.Hnsw.ExpansionAdd,
            ExpansionSearch = _options.Hnsw.ExpansionSearch,
            OverFetch = _options.Hnsw.OverFetch,
            MaxCandidates = _options.Hnsw.MaxCandidates,
            HalfPrecision = _options.Hnsw.HalfPrecision,
        };
        var hnswIndexes = new VectorIndexRegistry(store, new HnswVectorIndexFactory(hnswOptions, NullLogger<HnswVectorIndex>.Instance),
            NullLogger<VectorIndexRegistry>.Instance);

        OnProgress?.Invoke($"loading {size:N0}", 0, 1);
        var load = Stopwatch.StartNew();
        var exact = await exactIndexes.GetAsync(Partition, model, cancellationToken);
        run.IndexLoadMs = load.Elapsed.TotalMilliseconds;
        var hnsw = (HnswVectorIndex)await hnswIndexes.GetAsync(Partition, model, cancellationToken);
        await hnsw.WaitForGraphAsync(cancellationToken);
        run.GraphBuildSeconds = hnsw.BuildTime?.TotalSeconds ?? 0;
        GC.Collect();
        using (var process = Process.GetCurrentProcess())
        {
            run.RssMiB = process.WorkingSet64 / (1024.0 * 1024.0);
        }

        // The in-memory keyword index beside FTS5: its load from the store and what it holds.
        var keywordIndexes = new KeywordIndexRegistry(store as IMemoryCatalog ?? throw new InvalidOperationException("The bench store has no catalog."),
            store, new MemoryOptions(), NullLogger<KeywordIndexRegistry>.Instance);
        load.Restart();
        var (indexed, keywordBytes) = await keywordIndexes.MeasureAsync(Partition, cancellationToken);
        run.KeywordIndexLoadMs = load.Elapsed.TotalMilliseconds;
        run.KeywordIndexBytesPerMemory = indexed == 0 ? 0 : (double)keywordBytes / indexed;

        OnProgress?.Invoke($"loading {size:N0}", 1, 1);
        var memoryOptions = new MemoryOptions { KeywordIndex = KeywordIndexMode.Store };
        var inMemoryOptions = new MemoryOptions { KeywordIndex = KeywordIndexMode.Memory };
        var searches = new List<(HybridRetriever Retriever, LatencySample Sample)>
        {
            (Retriever(store, engine, exactIndexes, memoryOptions), run.SearchExact),
            (Retriever(store, engine, hnswIndexes, memoryOptions), run.SearchHnsw),
            (Retriever(store, engine, hnswIndexes, inMemoryOptions, keywordIndexes), run.SearchHnswKeywordIndex),
        };
        if (package is not null)
        {
            searches.Insert(0, (Retriever(everyWord, package, exactIndexes, memoryOptions), run.SearchBaseline));
        }

        await SearchAsync(run, store, everyWord, keywordIndexes, (engine, other), package, exact, hnsw, searches, size, cancellationToken);
        await WriteAsync(run, store, (engine, other), package, tokens, exactIndexes, hnswIndexes, memoryOptions, size, cancellationToken);
        hnsw.Dispose();
        return run;
    }

    private async Task FillAsync(IMemoryStore store, MiniLmEmbeddingGenerator engine, TiktokenTokenCounter tokens, int size, CancellationToken cancellationToken)
    {
        // The engine's write path for many memories: batched embedding, one transaction per batch.
        var indexes = new VectorIndexRegistry(store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        var writer = new MemoryWriter(store, engine, tokens, indexes, new MemoryOptions(), NullLogger<MemoryWriter>.Instance);
        var conversation = new SyntheticConversation(_options.Seed);
        var start = new DateTimeOffset(2023, 1, 1, 9, 0, 0, TimeSpan.Zero);
        const int Batch = 256;
        for (var done = 0; done < size;)
        {
            var batch = new List<NewMemory>(Batch);
            for (; batch.Count < Batch && done + batch.Count < size;)
            {
                batch.Add(Memory(conversation.Next(), start.AddMinutes(10 * (done + batch.Count))));
            }

            await writer.WriteManyAsync(batch, cancellationToken);
            done += batch.Count;
            OnProgress?.Invoke($"filling {size:N0}", done, size);
        }
    }

    private static NewMemory Memory((string Speaker, string Text, string? Context, string Channel, PrivacyLevel Privacy) turn, DateTimeOffset at) =>
        new(Partition, turn.Channel, turn.Privacy, turn.Speaker, turn.Text, at) { Context = turn.Context };

    private static HybridRetriever Retriever(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, VectorIndexRegistry indexes,
        MemoryOptions options, KeywordIndexRegistry? keywords = null) =>
        new(store, embedder, indexes, options, TimeProvider.System, NullLogger<HybridRetriever>.Instance, keywords);
}
