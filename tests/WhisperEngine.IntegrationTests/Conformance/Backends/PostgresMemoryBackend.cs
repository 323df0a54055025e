using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Postgres.Consolidation;
using WhisperEngine.Memory.Postgres.Facts;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.IntegrationTests.Conformance.Backends;

/// <summary>The PostgreSQL memory stores on the test server, in a schema of their own (dropped by the backend that made it).</summary>
public sealed class PostgresMemoryBackend : MemoryBackend
{
    private readonly string _schema;
    private readonly bool _ownsSchema;
    private readonly PostgresDatabase _db;

    public PostgresMemoryBackend()
        : this(TestServers.NewSchema(), ownsSchema: true)
    {
    }

    private PostgresMemoryBackend(string schema, bool ownsSchema)
    {
        _schema = schema;
        _ownsSchema = ownsSchema;
        _db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = TestServers.Postgres, Schema = schema });
        _db.Migrate([PostgresMemoryServiceCollectionExtensions.Module]);
        Memories = new PostgresMemoryStore(_db, TimeProvider.System);
        Facts = new PostgresFactStore(_db, TimeProvider.System);
        Consolidations = new PostgresConsolidationStore(_db, TimeProvider.System);
        Relationships = new PostgresRelationshipStore(_db);
    }

    public override IMemoryStore Memories { get; }

    public override IFactStore Facts { get; }

    public override IConsolidationStore Consolidations { get; }

    public override IRelationshipStore Relationships { get; }

    /// <summary>The schema's name.</summary>
    public string Schema => _schema;

    /// <summary>Runs a query in the backend's schema and returns its first value.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _db.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    public override MemoryBackend Reopen() => new PostgresMemoryBackend(_schema, ownsSchema: false);

    public override async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        if (_ownsSchema)
        {
            await TestServers.DropSchemaAsync(_schema);
        }
    }
}
