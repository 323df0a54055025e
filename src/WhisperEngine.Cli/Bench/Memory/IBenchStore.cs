using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>
/// The memory store a benchmark fills and measures. <see cref="SqliteBenchStore"/> is the engine's desktop store; a
/// PostgreSQL one plugs in here (<c>--store postgres</c>) once that store exists.
/// </summary>
internal interface IBenchStore : IDisposable
{
    string Name { get; }

    /// <summary>Opens the store of a dataset; <paramref name="filled"/> tells whether it already holds it (kept from an earlier run).</summary>
    IMemoryStore Open(string dataset, out bool filled);

    /// <summary>A second view of an opened dataset with other memory settings (the keyword search without its row budget).</summary>
    IMemoryStore OpenVariant(string dataset, WhisperEngine.Memory.MemoryOptions options);

    /// <summary>
    /// Gives each of the person's memories that the bot answered next, in the same channel, that answer as its reply (what
    /// the engine's write path does with <c>NewMemory.InReplyTo</c>), unless the dataset has replies already; true when it did.
    /// </summary>
    bool LinkReplies(string dataset);

    /// <summary>Keeps a freshly filled dataset for later runs (before the benchmark writes more into it).</summary>
    void Keep(string dataset);
}
