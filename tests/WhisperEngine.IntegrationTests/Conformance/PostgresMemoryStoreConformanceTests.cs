using Npgsql;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The memory store conformance suite on the real PostgreSQL, one schema per storage name.</summary>
[Collection(MiniLmCollection.Name)]
public sealed partial class PostgresMemoryStoreConformanceTests(MiniLmFixture miniLm) : MemoryStoreConformance(miniLm)
{
    private readonly Dictionary<string, string> _schemas = [];
    private readonly List<PostgresDatabase> _databases = [];

    private string Schema(string name)
    {
        if (!_schemas.TryGetValue(name, out var schema))
        {
            _schemas[name] = schema = TestServers.NewSchema();
        }

        return schema;
    }

    protected override IMemoryStore OpenStore(string name) => new PostgresMemoryStore(Database(name), TimeProvider.System);

    /// <summary>A new pooled database on the named schema, migrated.</summary>
    private PostgresDatabase Database(string name)
    {
        var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = TestServers.Postgres, Schema = Schema(name) });
        db.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);
        _databases.Add(db);
        return db;
    }

    protected override async Task<IReadOnlyList<string>> MigrationScriptsAsync(string name) =>
        await QueryAsync(name, "SELECT scriptname FROM schema_versions ORDER BY scriptname;", r => r.GetString(0));

    private async Task<List<T>> QueryAsync<T>(string name, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={Schema(name)}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    protected override async Task DestroyAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
        }

        foreach (var schema in _schemas.Values)
        {
            await TestServers.DropSchemaAsync(schema);
        }
    }
}
