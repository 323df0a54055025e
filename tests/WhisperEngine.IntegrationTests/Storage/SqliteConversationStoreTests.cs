using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Storage;

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
    public async Task AppendMessage_ThenReopen_MessagesSurviveInOrder()
    {
        var (db, store) = Open();
        var conversation = await store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        for (var i = 0; i < 5; i++)
        {
            await store.AppendMessageAsync(conversation, new NewMessage(i % 2 == 0 ? MessageRole.User : MessageRole.Assistant, $"m{i}", 1));
        }

        db.Dispose();
        var (db2, reopened) = Open();
        using (db2)
        {
            var again = await reopened.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
            Assert.Equal(conversation.Id, again.Id);
            var messages = await reopened.GetRecentMessagesAsync(again, 10);
            Assert.Equal(["m0", "m1", "m2", "m3", "m4"], messages.Select(m => m.Content));
            Assert.Equal(MessageRole.Assistant, messages[1].Role);
        }
    }

    [Fact]
    public async Task GetRecentMessages_Limit_ReturnsNewestOldestFirst()
    {
        var (db, store) = Open();
        using var _ = db;
        var conversation = await store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        for (var i = 0; i < 10; i++)
        {
            await store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"m{i}", 1));
        }

        var recent = await store.GetRecentMessagesAsync(conversation, 3);
        Assert.Equal(["m7", "m8", "m9"], recent.Select(m => m.Content));
    }

    [Fact]
    public async Task Conversations_OfTwoUsers_AreIsolated()
    {
        var (db, store) = Open();
        using var _ = db;
        var ann = await store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var bob = await store.GetOrCreateConversationAsync(Key("bob"), PrivacyLevel.DirectMessage);
        await store.AppendMessageAsync(ann, new NewMessage(MessageRole.User, "ann's secret", 2));
        await store.AppendMessageAsync(bob, new NewMessage(MessageRole.User, "bob's hello", 2));

        Assert.NotEqual(ann.Id, bob.Id);
        Assert.Equal(["bob's hello"], (await store.GetRecentMessagesAsync(bob, 10)).Select(m => m.Content));
        Assert.Equal(1, await store.CountMessagesAsync(Key("ann")));
    }

    [Fact]
    public async Task ForgetConversation_DeletesOnlyThatConversation()
    {
        var (db, store) = Open();
        using var _ = db;
        var ann = await store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var annApi = await store.GetOrCreateConversationAsync(Key("ann", "api"), PrivacyLevel.DirectMessage);
        await store.AppendMessageAsync(ann, new NewMessage(MessageRole.User, "one", 1));
        await store.AppendMessageAsync(ann, new NewMessage(MessageRole.Assistant, "two", 1));
        await store.AppendMessageAsync(annApi, new NewMessage(MessageRole.User, "kept", 1));

        Assert.Equal(2, await store.ForgetConversationAsync(Key("ann")));
        Assert.Equal(0, await store.CountMessagesAsync(Key("ann")));
        Assert.Equal(1, await store.CountMessagesAsync(Key("ann", "api")));
    }

    [Fact]
    public async Task AppendMessage_ManyConcurrentWriters_AllStoredWithUniqueIds()
    {
        var (db, store) = Open();
        using var _ = db;
        var tasks = Enumerable.Range(0, 8).Select(async u =>
        {
            var conversation = await store.GetOrCreateConversationAsync(Key($"user{u}"), PrivacyLevel.DirectMessage);
            for (var i = 0; i < 25; i++)
            {
                await store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"u{u}-{i}", 1));
            }
        });
        await Task.WhenAll(tasks);

        for (var u = 0; u < 8; u++)
        {
            Assert.Equal(25, await store.CountMessagesAsync(Key($"user{u}")));
        }
    }

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
