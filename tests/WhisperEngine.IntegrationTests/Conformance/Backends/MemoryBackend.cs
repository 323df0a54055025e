using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.IntegrationTests.Conformance.Backends;

/// <summary>
/// One backend's memory stores on storage of the test's own (a temp SQLite file, a temp PostgreSQL schema), migrated:
/// what the conformance suites of the stores beside the memory store run against.
/// </summary>
public abstract class MemoryBackend : IAsyncDisposable
{
    public abstract IMemoryStore Memories { get; }

    public abstract IFactStore Facts { get; }

    public abstract IConsolidationStore Consolidations { get; }

    public abstract IRelationshipStore Relationships { get; }

    /// <summary>The same storage opened again, as a restarted process would (the caller disposes it).</summary>
    public abstract MemoryBackend Reopen();

    public abstract ValueTask DisposeAsync();
}
