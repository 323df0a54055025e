using WhisperEngine.IntegrationTests.Conformance.Backends;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The consolidation store conformance suite on a temp SQLite file.</summary>
public sealed class SqliteConsolidationStoreConformanceTests : ConsolidationStoreConformance
{
    protected override MemoryBackend CreateBackend() => new SqliteMemoryBackend();
}
