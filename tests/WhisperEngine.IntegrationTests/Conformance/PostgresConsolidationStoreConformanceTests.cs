using WhisperEngine.IntegrationTests.Conformance.Backends;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The consolidation store conformance suite on the real PostgreSQL server, in a schema of its own.</summary>
public sealed class PostgresConsolidationStoreConformanceTests : ConsolidationStoreConformance
{
    protected override MemoryBackend CreateBackend() => new PostgresMemoryBackend();
}
