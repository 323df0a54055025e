using WhisperEngine.AI.Embeddings;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>What the LoCoMo benchmark runs.</summary>
internal sealed record LocomoBenchOptions
{
    public required string Folder { get; init; }

    /// <summary>The mode reported at the top level of the JSON; every mode runs.</summary>
    public RetrievalMode Primary { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Memory settings (fusion weights, context indexing, ...).</summary>
    public MemoryOptions Memory { get; init; } = new();

    /// <summary>Add a shared photo's caption to its turn's text, as an adapter describing images would.</summary>
    public bool Captions { get; init; } = true;

    /// <summary>The token budget of <c>recall_any_budget1500</c>.</summary>
    public int Budget { get; init; } = 1500;

    /// <summary>After the run, try a grid of fusion settings (hybrid recall only).</summary>
    public bool Sweep { get; init; }

    /// <summary>The memory store: <c>sqlite</c> (a temporary file) or <c>postgres</c> (a temporary schema on <see cref="PostgresConnectionString"/>).</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary>The server for <c>--store postgres</c>; the bench creates a schema of its own there and drops it afterwards.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>After writing, cluster each conversation's memories by topic (needed by the cluster settings of recall).</summary>
    public bool Cluster { get; init; }

    /// <summary>After the run, score hybrid recall with one retrieval setting changed at a time.</summary>
    public bool Ablation { get; init; }

    /// <summary>Where the temporary database goes (a new folder in the system temp folder when null).</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The local MiniLM model's arithmetic (its vectors carry their own model id).</summary>
    public EmbeddingPrecision Precision { get; init; } = MiniLmEmbeddingGenerator.DefaultPrecision;
}
