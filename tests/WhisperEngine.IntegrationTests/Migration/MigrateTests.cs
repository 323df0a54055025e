using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Migration;

/// <summary><c>whisperengine migrate</c>: a desktop home moves to PostgreSQL, verified, resumable, and the character still remembers.</summary>
public sealed class MigrateTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly string _schema = TestServers.NewSchema();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await TestServers.DropSchemaAsync(_schema);
    }

    public void Dispose() => _home.Dispose();

    private static readonly MemoryPartition Lee = new("default", "elena", "lee");

    private string[] Migrate(params string[] extra) =>
        ["migrate", "--home", _home.Path, "--to", TestServers.Postgres, "--schema", _schema, .. extra];

    private async Task<long> TargetCountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={_schema}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table};", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Migrate_DesktopHome_VerifiesEqualityAndTheCharacterStillRemembers()
    {
        var key = new ConversationKey("default", "elena", "lee", "api");
        await using (var desktop = await EngineHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl)))
        {
            _model.Enqueue(FakeReply.Text("A lighthouse keeper, how lovely."));
            await desktop.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "I work as a lighthouse keeper."));
            _model.Enqueue(FakeReply.Text("Ünïcödé 🐙 noted."));
            await desktop.Pipeline.RunAsync(new TurnRequest(key with { UserId = "kai" }, PrivacyLevel.DirectMessage, "Remember: 🐙"));
            var writer = desktop.Get<MemoryWriter>();
            await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "lee", "My lighthouse is on the Isle of Skye.", DateTimeOffset.UtcNow)
            {
                Context = "Elena: Where is your lighthouse?",
                Importance = 0.9f,
            });
            await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "lee", "I take the ferry on Mondays.", DateTimeOffset.UtcNow));
            await writer.WriteAsync(new NewMemory(Lee with { UserId = "kai" }, "api", PrivacyLevel.DirectMessage, "kai", "🐙 is my favourite emoji.", DateTimeOffset.UtcNow));
        }

        var result = await CliRunner.RunAsync(Migrate());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Verified", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DIFFERENT", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, await TargetCountAsync("messages"));
        Assert.Equal(2, await TargetCountAsync("usage_ledger"));
        // Each of the two turns is remembered as the user's message and the reply (written in the background), plus the three written here.
        Assert.Equal(7, await TargetCountAsync("memories"));
        Assert.Matches(@"memories\s*│\s*7\s*│\s*7\s*│\s*7\s*│", result.Output);

        var onPostgres = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = _schema,
        });
        Assert.Equal("multi-bot", onPostgres.Tier);
        await using (var multiBot = await EngineHost.StartAsync(onPostgres))
        {
            await multiBot.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "What is my job?"));

            // The memories moved with their vectors: dense and keyword search both find them, in their own partition.
            var retriever = multiBot.Get<IMemoryRetriever>();
            var scope = new RecallScope(Lee, "api", PrivacyLevel.DirectMessage);
            var dense = await retriever.RetrieveAsync(new MemoryQuery(scope, "Which island is the lighthouse on?") { Mode = RetrievalMode.Dense });
            var keyword = await retriever.RetrieveAsync(new MemoryQuery(scope, "ferry") { Mode = RetrievalMode.Keyword });
            Assert.Equal("My lighthouse is on the Isle of Skye.", dense.Hits[0].Record.Text);
            Assert.Equal(0.9f, dense.Hits[0].Record.Importance);
            Assert.Equal("Elena: Where is your lighthouse?", dense.Hits[0].Record.Context);
            Assert.All(dense.Hits, h => Assert.Equal(Lee, h.Record.Partition));
            Assert.Equal(["I take the ferry on Mondays."], keyword.Hits.Select(h => h.Record.Text));
        }

        var sent = _model.Requests[^1].Messages;
        Assert.Equal(["system", "user", "assistant", "user"], sent.Select(m => m.Role));
        Assert.Equal("I work as a lighthouse keeper.", sent[1].Content);
        Assert.DoesNotContain(sent, m => m.Content?.Contains("🐙", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Migrate_TargetHoldsOtherData_RefusesUnlessMerge()
    {
        var other = new TempDirectory();
        try
        {
            await SeedAsync(other.File("whisperengine.db"), conversations: 1, messagesEach: 3);
            Assert.Equal(0, (await CliRunner.RunAsync(["migrate", "--home", other.Path, "--to", TestServers.Postgres, "--schema", _schema])).ExitCode);
        }
        finally
        {
            other.Dispose();
        }

        await SeedAsync(Path.Combine(_home.Path, "whisperengine.db"), conversations: 2, messagesEach: 2);

        var refused = await CliRunner.RunAsync(Migrate());
        var merged = await CliRunner.RunAsync(Migrate("--merge"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--merge", refused.Error, StringComparison.Ordinal);
        Assert.Equal(3, await TargetCountAsync("messages") - 4);
        Assert.True(merged.ExitCode == 0, merged.Output + merged.Error);
        Assert.Equal(7, await TargetCountAsync("messages"));
    }

    [Fact]
    public async Task Migrate_KilledMidway_RerunContinuesWithoutDuplicates()
    {
        const int conversations = 20;
        const int messagesEach = 1_000;
        await SeedAsync(Path.Combine(_home.Path, "whisperengine.db"), conversations, messagesEach);

        using (var process = Process.Start(CliRunner.StartInfo(Migrate("--pause-ms", "150")))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long copied = 0;
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    copied = await TargetCountAsync("messages");
                }
                catch (PostgresException)
                {
                    // The schema is not there until the migrator creates it.
                }

                if (copied >= 4_000)
                {
                    break;
                }

                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "migrate finished before it could be interrupted");
            process.Kill();
            await process.WaitForExitAsync();
        }

        var partial = await TargetCountAsync("messages");
        Assert.InRange(partial, 1, conversations * messagesEach - 1);

        var rerun = await CliRunner.RunAsync(Migrate(), timeout: TimeSpan.FromMinutes(2));

        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
        Assert.Equal(conversations * messagesEach, await TargetCountAsync("messages"));
        Assert.Equal(conversations, await TargetCountAsync("conversations"));
        Assert.Contains("equal", rerun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_KilledMidwayThroughMemories_RerunCopiesTheRestWithVectorsVerified()
    {
        const int partitions = 6;
        const int memoriesEach = 1_000;
        var path = Path.Combine(_home.Path, "whisperengine.db");
        await SeedAsync(path, conversations: 1, messagesEach: 3);
        await SeedMemoriesAsync(path, partitions, memoriesEach);

        using (var process = Process.Start(CliRunner.StartInfo(Migrate("--batch-size", "250", "--pause-ms", "150")))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            long copied = 0;
            while (DateTime.UtcNow < deadline && !process.HasExited && copied < 1_000)
            {
                try
                {
                    copied = await TargetCountAsync("memories");
                }
                catch (PostgresException)
                {
                    // The schema is not there until the migrator creates it.
                }

                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "migrate finished before it could be interrupted");
            process.Kill();
            await process.WaitForExitAsync();
        }

        var partial = await TargetCountAsync("memories");
        Assert.InRange(partial, 1, partitions * memoriesEach - 1);

        var rerun = await CliRunner.RunAsync(Migrate(), timeout: TimeSpan.FromMinutes(2));

        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
        Assert.Matches(@"memories\s*│\s*6,000\s*│\s*6,000\s*│", rerun.Output);
        Assert.DoesNotContain("DIFFERENT", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(partitions * memoriesEach, await TargetCountAsync("memories"));
        Assert.Equal(partitions, await TargetCountAsync("memory_partitions"));
        await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={_schema}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE p.memory_count <> (SELECT count(*) FROM memories m WHERE m.partition_id = p.id)),
                   sum(p.memory_count)
            FROM memory_partitions p;
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((0L, (long)(partitions * memoriesEach)), (reader.GetInt64(0), (long)reader.GetDecimal(1)));
    }

    /// <summary>Writes memories straight into a desktop database: vectors of varying bytes, some without a vector, some with context.</summary>
    private static async Task SeedMemoriesAsync(string path, int partitions, int memoriesEach)
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        await using var connection = await db.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var random = new Random(3);
        for (var p = 0; p < partitions; p++)
        {
            await using var partition = connection.CreateCommand();
            partition.CommandText = "INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ('default', $b, $u) RETURNING id;";
            partition.Parameters.AddWithValue("$b", p % 2 == 0 ? "elena" : "marcus");
            partition.Parameters.AddWithValue("$u", $"user{p}");
            var id = (long)(await partition.ExecuteScalarAsync())!;
            await using var memory = connection.CreateCommand();
            memory.CommandText = """
                INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, importance,
                    access_count, last_accessed_at, token_count, embedding_model, embedding_dims, embedding)
                VALUES ($p, 'dm', $privacy, 'ann', $text, $context, $at, $at, $importance, $access, $last, 12, $model, $dims, $vector);
                """;
            for (var m = 0; m < memoriesEach; m++)
            {
                var vector = new byte[16 * 4];
                random.NextBytes(vector);
                var hasVector = m % 10 != 0;
                memory.Parameters.Clear();
                memory.Parameters.AddWithValue("$p", id);
                memory.Parameters.AddWithValue("$privacy", m % 3);
                memory.Parameters.AddWithValue("$text", $"memory {m} of partition {p}: the tide came in at {m % 24}h, ünïcödé 🐙");
                memory.Parameters.AddWithValue("$context", m % 2 == 0 ? $"Elena: what about the tide {m}?" : DBNull.Value);
                memory.Parameters.AddWithValue("$at", 1_790_000_000_000L + m);
                memory.Parameters.AddWithValue("$importance", (float)random.NextDouble());
                memory.Parameters.AddWithValue("$access", m % 4);
                memory.Parameters.AddWithValue("$last", m % 4 == 0 ? DBNull.Value : 1_790_000_100_000L + m);
                memory.Parameters.AddWithValue("$model", hasVector ? "model-x" : DBNull.Value);
                memory.Parameters.AddWithValue("$dims", hasVector ? 16 : DBNull.Value);
                memory.Parameters.AddWithValue("$vector", hasVector ? vector : DBNull.Value);
                await memory.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    /// <summary>Writes a desktop database directly, quickly, in one transaction.</summary>
    private static async Task SeedAsync(string path, int conversations, int messagesEach)
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        db.Migrate();
        await using var connection = await db.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var prefix = Path.GetFileName(Path.GetDirectoryName(path))!;
        for (var c = 0; c < conversations; c++)
        {
            await using var conversation = connection.CreateCommand();
            conversation.CommandText = "INSERT INTO conversations (tenant_id, bot_id, user_id, channel_id, privacy, created_at) VALUES ('default', 'elena', $u, 'api', 0, 1) RETURNING id;";
            conversation.Parameters.AddWithValue("$u", $"{prefix}-user{c}");
            var id = (long)(await conversation.ExecuteScalarAsync())!;
            await using var message = connection.CreateCommand();
            message.CommandText = "INSERT INTO messages (conversation_id, role, content, created_at, token_count, flags, model) VALUES ($c, $r, $t, $at, 3, 0, NULL);";
            var pc = message.Parameters.Add("$c", SqliteType.Integer);
            var pr = message.Parameters.Add("$r", SqliteType.Integer);
            var pt = message.Parameters.Add("$t", SqliteType.Text);
            var pa = message.Parameters.Add("$at", SqliteType.Integer);
            for (var m = 0; m < messagesEach; m++)
            {
                pc.Value = id;
                pr.Value = m % 2;
                pt.Value = $"message {m} of conversation {c}: some text about the sea";
                pa.Value = 1_790_000_000_000L + m;
                await message.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}
