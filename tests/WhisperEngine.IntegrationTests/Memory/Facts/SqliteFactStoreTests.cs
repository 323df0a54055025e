using Microsoft.Data.Sqlite;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Sqlite.Facts;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>The fact store conformance suite on a real SQLite file, plus what only SQLite can show (the schema's own guard).</summary>
public sealed class SqliteFactStoreTests : FactStoreConformance
{
    private readonly TempDirectory _dir = new();
    private SqliteDatabase? _db;

    protected override Task<IFactStore> CreateStoreAsync()
    {
        _db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("facts.db") });
        _db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        return Task.FromResult<IFactStore>(new SqliteFactStore(_db, TimeProvider.System));
    }

    protected override Task DisposeStoreAsync()
    {
        _db?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Schema_SecondActiveValueForAKey_RefusedByTheDatabase()
    {
        await Store.AddAsync(Ann, Fact("lives_in", "London"));
        await using var connection = new SqliteConnection($"Data Source={_dir.File("facts.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
            VALUES ('default', 'elena', 'ann', 0, 'lives_in', 'Paris', 0.9, 'test', 0, 'dm', 0, 0);
            """;

        var ex = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("UNIQUE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_FactsAndHistorySurvive()
    {
        await Store.AddAsync(Ann, Fact("lives_in", "London"));
        await Store.AddAsync(Ann, Fact("lives_in", "Paris"));
        _db!.Dispose();
        SqliteConnection.ClearAllPools();

        using var reopened = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("facts.db") });
        reopened.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        var store = new SqliteFactStore(reopened, TimeProvider.System);

        Assert.Equal(["Paris"], (await store.GetActiveAsync(Ann)).Select(f => f.Value));
        Assert.Equal(2, (await store.GetAllAsync(Ann)).Count);
    }
}
