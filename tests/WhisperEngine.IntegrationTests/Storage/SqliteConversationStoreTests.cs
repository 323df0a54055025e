using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Storage;

/// <summary>What only the SQLite backend does (WAL, file errors); shared behaviour is in the conformance suite.</summary>
public sealed class SqliteConversationStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (SqliteDatabase Db, SqliteConversationStore Store) Open(string name = "we.db")
    {
        var db = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File(name) });
        db.Migrate();
        return (db, new SqliteConversationStore(db, TimeProvider.System));
    }

    private static ConversationKey Key(string user, string channel = "terminal") => new("default", "elena", user, channel);

    [Fact]
    public void Migrate_NewFile_UsesWalAndRecordsSchemaVersion()
    {
        var (db, _) = Open();
        using var __ = db;
        using var connection = new SqliteConnection($"Data Source={db.Path}");
        connection.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
        using var versions = connection.CreateCommand();
        versions.CommandText = "SELECT COUNT(*) FROM schema_versions;";
        Assert.True((long)versions.ExecuteScalar()! >= 1);

        // Migrating again is a no-op, not an error.
        db.Migrate();
    }

    [Fact]
    public async Task StoreOperations_FileNotWritable_ThrowStorageException()
    {
        var path = _dir.File("readonly/we.db");
        var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        db.Migrate();
        var store = new SqliteConversationStore(db, TimeProvider.System);
        var conversation = await store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        db.Dispose();
        using var broken = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        File.WriteAllText(path, "this is not a database, it is a text file that replaced it");
        File.Delete(path + "-wal");
        var brokenStore = new SqliteConversationStore(broken, TimeProvider.System);
        var ex = await Assert.ThrowsAsync<WhisperEngine.Core.Storage.StorageException>(async () =>
            await brokenStore.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "x", 1)));
        Assert.Contains("we.db", ex.Message, StringComparison.Ordinal);
    }
}
