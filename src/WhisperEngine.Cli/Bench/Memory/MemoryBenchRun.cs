namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>What was measured at one partition size.</summary>
internal sealed class MemoryBenchRun
{
    public required int Memories { get; init; }

    /// <summary>Seconds to fill the partition (0 when it came from the cache).</summary>
    public double FillSeconds { get; set; }

    /// <summary>Reading the partition's vectors from the store into the exact index, in milliseconds.</summary>
    public double IndexLoadMs { get; set; }

    /// <summary>Building the HNSW graph from the loaded vectors (in the background in the engine), in seconds.</summary>
    public double GraphBuildSeconds { get; set; }

    /// <summary>Resident memory of the process with both indexes loaded, in MiB.</summary>
    public double RssMiB { get; set; }

    /// <summary>Share of the exact top 10 that the HNSW search also returns (mean over the queries).</summary>
    public double RecallAt10 { get; set; }

    /// <summary>The same for searches in a public channel (the privacy filter over the graph, with its fallback).</summary>
    public double RecallAt10Public { get; set; }

    public LatencySample EmbedQueryPackage { get; } = new();
    public LatencySample EmbedQuery { get; } = new();

    /// <summary>Query embedding by the engine's runner at the other precision, interleaved with <see cref="EmbedQuery"/>.</summary>
    public LatencySample EmbedQueryOther { get; } = new();
    public LatencySample VectorExact { get; } = new();
    public LatencySample VectorHnsw { get; } = new();
    public LatencySample VectorHnswPublic { get; } = new();
    /// <summary>Keyword top 50 as the engine runs it (in a partition above <c>MemoryOptions.KeywordRowBudget</c>, the query's rarer words).</summary>
    public LatencySample Keyword { get; } = new();

    /// <summary>Keyword top 50 over every word of the query (the search before its row budget).</summary>
    public LatencySample KeywordEveryWord { get; } = new();

    /// <summary>Share of the every-word keyword top 10 among the budgeted search's top 50 (mean over the queries).</summary>
    public double KeywordRecallAt10 { get; set; }

    /// <summary>Keyword top 50 from the in-memory index (every word of the query, MaxScore), direct message.</summary>
    public LatencySample KeywordIndex { get; } = new();

    /// <summary>The same in a public channel (the privacy filter during top-k).</summary>
    public LatencySample KeywordIndexPublic { get; } = new();

    /// <summary>Share of the every-word FTS5 top 10 among the in-memory index's top 50 (mean over the queries).</summary>
    public double KeywordIndexRecallAt10 { get; set; }

    /// <summary>Loading the in-memory keyword index from the store, in milliseconds.</summary>
    public double KeywordIndexLoadMs { get; set; }

    /// <summary>Bytes the in-memory keyword index holds per memory.</summary>
    public double KeywordIndexBytesPerMemory { get; set; }

    /// <summary>Hybrid search (query embedding included): package encoder + exact scan, the baseline.</summary>
    public LatencySample SearchBaseline { get; } = new();

    /// <summary>Hybrid search with the engine's runner and the exact scan.</summary>
    public LatencySample SearchExact { get; } = new();

    /// <summary>Hybrid search with the engine's runner and the HNSW graph.</summary>
    public LatencySample SearchHnsw { get; } = new();

    /// <summary>Hybrid search with the engine's runner, the HNSW graph and the in-memory keyword index.</summary>
    public LatencySample SearchHnswKeywordIndex { get; } = new();

    /// <summary>Embedding a memory's text alone (the engine's runner), for the write's breakdown.</summary>
    public LatencySample EmbedMemory { get; } = new();

    /// <summary>Embedding a memory's text at the other precision, interleaved with <see cref="EmbedMemory"/>.</summary>
    public LatencySample EmbedMemoryOther { get; } = new();

    /// <summary>The store's durable insert alone (row, vector BLOB, FTS5 entry by trigger, commit), for the write's breakdown.</summary>
    public LatencySample Insert { get; } = new();

    public LatencySample WriteBaseline { get; } = new();
    public LatencySample Write { get; } = new();
}
