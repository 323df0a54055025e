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

    /// <summary>Keeps a freshly filled dataset for later runs (before the benchmark writes more into it).</summary>
    void Keep(string dataset);
}
