using Microsoft.Extensions.AI;
using Npgsql;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Topic clustering on the real PostgreSQL server, in a schema of the test's own.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class PostgresClusteringTests(MiniLmFixture miniLm) : ClusteringConformance(miniLm)
{
    private readonly string _schema = TestServers.NewSchema();

    protected override MemoryHarness Open(IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options)
    {
        var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = TestServers.Postgres, Schema = _schema });
        db.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);
        return new MemoryHarness(new PostgresMemoryStore(db, TimeProvider.System), embedder, options, db.Dispose);
    }

    protected override async Task<long> ClusterRowsAsync(MemoryHarness memory)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={_schema}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM memory_clusters;", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override Task CleanUpAsync() => TestServers.DropSchemaAsync(_schema);
}
