using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The memory store conformance suite on real SQLite files, one per storage name.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class SqliteMemoryStoreConformanceTests(MiniLmFixture miniLm) : MemoryStoreConformance(miniLm)
{
    private readonly TempDirectory _dir = new();
    private readonly List<SqliteDatabase> _databases = [];

    protected override IMemoryStore OpenStore(string name)
    {
        var db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File(name + ".db") });
        db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        _databases.Add(db);
        return new SqliteMemoryStore(db, TimeProvider.System);
    }

    protected override async Task<IReadOnlyList<string>> MigrationScriptsAsync(string name)
    {
        await using var connection = await _databases[0].OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ScriptName FROM schema_versions ORDER BY ScriptName;";
        var scripts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            scripts.Add(reader.GetString(0));
        }

        return scripts;
    }

    protected override Task DestroyAsync()
    {
        foreach (var db in _databases)
        {
            db.Dispose();
        }

        _dir.Dispose();
        return Task.CompletedTask;
    }
}
