using WhisperEngine.IntegrationTests.Conformance.Backends;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The relationship store conformance suite on a temp SQLite file.</summary>
public sealed class SqliteRelationshipStoreConformanceTests : RelationshipStoreConformance
{
    protected override MemoryBackend CreateBackend() => new SqliteMemoryBackend();
}
