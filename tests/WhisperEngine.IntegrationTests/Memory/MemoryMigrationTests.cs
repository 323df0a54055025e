using DbUp;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>A database made before migration 0003 (clusters, reply column, rebuilt keyword index) upgraded in place.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MemoryMigrationTests(MiniLmFixture miniLm) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Migrate_DatabaseFrom0001_OldMemoriesStaySearchableAndNewFeaturesWork()
    {
        var path = _dir.File("old.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        Upgrade(connectionString, typeof(SqliteDatabase).Assembly, _ => true);
        Upgrade(connectionString, typeof(SqliteMemoryStore).Assembly, s => s.EndsWith("0001_memories.sql", StringComparison.Ordinal));
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO memory_partitions (id, tenant_id, bot_id, user_id) VALUES (1, 'default', 'elena', 'ann');
                INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, token_count)
                VALUES (1, 'dm', 0, 'ann', 'My tortoise is called Brunhilde.', 'Any pets?', 0, 0, 12);
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        using var memory = new MemoryHarness(path, miniLm.Embedder);
        var ann = MemoryHarness.Partition("ann");
        var scope = new RecallScope(ann, "dm", PrivacyLevel.DirectMessage);
        await memory.SeedOtherPeopleAsync();

        var old = Assert.Single(await memory.Store.KeywordSearchAsync(scope, "tortoise", 10));
        Assert.Single(await memory.Store.KeywordSearchAsync(scope, "pets", 10));
        var reply = await memory.Writer.WriteAsync(new NewMemory(ann, "dm", PrivacyLevel.DirectMessage, "elena", "Brunhilde must be ancient!", DateTimeOffset.UtcNow)
        {
            InReplyTo = old.Id,
        });
        Assert.Equal([old.Id, reply.Id], (await memory.Store.KeywordSearchAsync(scope, "ancient", 10)).Select(h => h.Id).Order());
        Assert.Null(Assert.Single(await memory.Store.GetAsync(ann, [old.Id])).ClusterId);
    }

    private static void Upgrade(string connectionString, System.Reflection.Assembly assembly, Func<string, bool> filter)
    {
        var result = DeployChanges.To.SqliteDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(assembly, s => s.EndsWith(".sql", StringComparison.Ordinal) && filter(s))
            .JournalToSqliteTable("schema_versions")
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
    }
}
