using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
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

    private static async Task<IReadOnlyList<StoredMessage>> MessagesAsync(EngineHost engine, ConversationKey key)
    {
        var store = engine.Get<IConversationStore>();
        return await store.GetRecentMessagesAsync(await store.GetOrCreateConversationAsync(key, PrivacyLevel.DirectMessage), 10);
    }

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
            var ferry = await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "lee", "I take the ferry on Mondays.", DateTimeOffset.UtcNow));
            await writer.WriteAsync(new NewMemory(Lee with { UserId = "kai" }, "api", PrivacyLevel.DirectMessage, "kai", "🐙 is my favourite emoji.", DateTimeOffset.UtcNow));
            await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "Elena", "Does the crossing get rough?", DateTimeOffset.UtcNow)
            {
                InReplyTo = ferry.Id,
                Emotion = "surprise",
            });

            // Facts with a history, an extraction mark, a completed consolidation.
            var facts = desktop.Get<IFactStore>();
            await facts.AddAsync(FactOwner.Of(Lee), new NewFact(FactSubject.User, "job", "fisherman", 0.7, "message:1", PrivacyLevel.DirectMessage, "api"));
            await facts.AddAsync(FactOwner.Of(Lee), new NewFact(FactSubject.User, "job", "lighthouse keeper", 0.9, "message:1", PrivacyLevel.DirectMessage, "api"));
            await facts.AddAsync(FactOwner.Global("default", "elena"), new NewFact(FactSubject.Bot, "home_town", "Valencia", 1, FactSources.Admin,
                PrivacyLevel.PublicChannel, "admin"));
            var leeMessages = await MessagesAsync(desktop, key);
            await facts.SetExtractedUpToAsync(new ExtractionMark(key, leeMessages.Max(m => m.Id)));
            var consolidations = desktop.Get<IConsolidationStore>();
            var weekAgo = DateTimeOffset.UtcNow.AddDays(-7);
            var old1 = await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "lee", "The lamp needed a new bulb.", weekAgo));
            var old2 = await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "lee", "I climbed the 120 steps twice.", weekAgo.AddMinutes(3)));
            var consolidation = await consolidations.BeginAsync(Lee, new ConsolidationStart("api", PrivacyLevel.DirectMessage, DateOnly.FromDateTime(weekAgo.UtcDateTime),
                [old1.Id, old2.Id], "Lee fixed the lamp and climbed the tower.", weekAgo, 0.5f));
            var summary = await writer.WriteAsync(new NewMemory(Lee, "api", PrivacyLevel.DirectMessage, "elena", "Lee fixed the lamp and climbed the tower.", weekAgo));
            await consolidations.CompleteAsync(Lee, consolidation!.Value, summary.Id);
            await desktop.BackgroundIdleAsync();
        }

        var result = await CliRunner.RunAsync(Migrate());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Verified", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DIFFERENT", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, await TargetCountAsync("messages"));
        Assert.Equal(2, await TargetCountAsync("usage_ledger"));
        // Seven written here and the four of the two turns (each message and its reply).
        Assert.Equal(11, await TargetCountAsync("memories"));
        Assert.Matches(@"memories\s*│\s*11\s*│\s*11\s*│\s*11\s*│", result.Output);
        Assert.Matches(@"facts\s*│\s*3\s*│\s*3\s*│\s*3\s*│", result.Output);
        Assert.Contains("Verified: every table is equal", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, await TargetCountAsync("fact_extraction_marks"));
        Assert.Equal(1, await TargetCountAsync("memory_consolidations WHERE completed_at IS NOT NULL AND summary_memory_id IS NOT NULL"));
        Assert.Equal(2, await TargetCountAsync("memory_consolidation_sources"));
        Assert.Equal(2, await TargetCountAsync("relationships"));

        var onPostgres = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = _schema,
        });
        Assert.Equal("multi-bot", onPostgres.Tier);
        await using (var multiBot = await EngineHost.StartAsync(onPostgres))
        {
            await multiBot.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "What is my job?"));
            // The turn's memory writes and its relationship count run on the background queue.
            await multiBot.BackgroundIdleAsync();

            // The memories moved with their vectors: dense and keyword search both find them, in their own partition.
            var retriever = multiBot.Get<IMemoryRetriever>();
            var scope = new RecallScope(Lee, "api", PrivacyLevel.DirectMessage);
            var dense = await retriever.RetrieveAsync(new MemoryQuery(scope, "Which island is the lighthouse on?") { Mode = RetrievalMode.Dense });
            var keyword = await retriever.RetrieveAsync(new MemoryQuery(scope, "ferry") { Mode = RetrievalMode.Keyword });
            Assert.Equal("My lighthouse is on the Isle of Skye.", dense.Hits[0].Record.Text);
            Assert.Equal(0.9f, dense.Hits[0].Record.Importance);
            Assert.Equal("Elena: Where is your lighthouse?", dense.Hits[0].Record.Context);
            Assert.Contains("I take the ferry on Mondays.", dense.Hits.Select(h => h.Record.Text));
            Assert.All(dense.Hits, h => Assert.Equal(Lee, h.Record.Partition));
            Assert.Equal(["I take the ferry on Mondays."], keyword.Hits.Select(h => h.Record.Text));

            // The reply and emotion came along: the ferry memory is found by the words of its answer.
            var crossing = await retriever.RetrieveAsync(new MemoryQuery(scope, "crossing rough") { Mode = RetrievalMode.Keyword });
            Assert.Equal(["Does the crossing get rough?", "I take the ferry on Mondays."], crossing.Hits.Select(h => h.Record.Text));
            Assert.Equal("surprise", crossing.Hits[0].Record.Emotion);

            // Facts with their history, the mark on the new message ids, the consolidation, the relationship.
            var facts = multiBot.Get<IFactStore>();
            Assert.Equal(["lighthouse keeper"], (await facts.GetActiveAsync(FactOwner.Of(Lee))).Select(f => f.Value));
            var history = await facts.GetAllAsync(FactOwner.Of(Lee));
            Assert.Equal(history[1].Id, history[0].SupersededBy);
            Assert.Equal(["Valencia"], (await facts.GetActiveAsync(FactOwner.Global("default", "elena"))).Select(f => f.Value));
            var leeMessages = await MessagesAsync(multiBot, key);
            Assert.Equal(leeMessages.Where(m => m.Content == "A lighthouse keeper, how lovely.").Single().Id, await facts.GetExtractedUpToAsync(key));
            Assert.Empty(await multiBot.Get<IConsolidationStore>().GetPendingAsync(Lee));
            Assert.DoesNotContain(await multiBot.Get<IConsolidationStore>().GetUnconsolidatedAsync(Lee, DateTimeOffset.UtcNow.AddDays(-1), 100),
                r => r.Text.Contains("lamp", StringComparison.Ordinal));
            Assert.Equal(2, (await multiBot.Get<IRelationshipStore>().GetAsync(Lee))!.TotalExchanges);
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
    public async Task Migrate_IntoATargetWithRowsOfItsOwn_FactSourcesNameTheNewIdsAndTheNewerValueOfAKeyStaysActive()
    {
        var other = new TempDirectory();
        try
        {
            // The target's own rows come first, so the copied rows get ids other than their source ids.
            var otherPath = other.File("whisperengine.db");
            await SeedAsync(otherPath, conversations: 1, messagesEach: 5);
            await SeedMemoriesAsync(otherPath, partitions: 1, memoriesEach: 7);
            using (var db = new SqliteDatabase(new SqliteStoreOptions { Path = otherPath }))
            {
                // The same person's values for two of the keys below: one older than the copied value, one newer.
                await using var connection = await db.OpenAsync();
                await using var facts = connection.CreateCommand();
                facts.CommandText = """
                    INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
                    VALUES ('default', 'elena', 'user1', 0, 'boat', 'a blue kayak', 0.8, 'user', 0, 'dm', 1789999999000, 1789999999000),
                           ('default', 'elena', 'user1', 0, 'tide', 'late sleeper', 0.9, 'user', 0, 'dm', 1790000001000, 1790000001000);
                    """;
                await facts.ExecuteNonQueryAsync();
            }

            Assert.Equal(0, (await CliRunner.RunAsync(["migrate", "--home", other.Path, "--to", TestServers.Postgres, "--schema", _schema])).ExitCode);
        }
        finally
        {
            other.Dispose();
        }

        var path = Path.Combine(_home.Path, "whisperengine.db");
        await SeedAsync(path, conversations: 1, messagesEach: 3);
        await SeedMemoriesAsync(path, partitions: 2, memoriesEach: 2);
        await SeedClustersAsync(path, clustersEach: 1);
        using (var db = new SqliteDatabase(new SqliteStoreOptions { Path = path }))
        {
            await using var connection = await db.OpenAsync();
            await using var facts = connection.CreateCommand();
            facts.CommandText = """
                INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at)
                VALUES ('default', 'elena', 'user1', 0, 'boat', 'a red dinghy', 0.8, 'message:2,3', 0, 'dm', 1790000000000, 1790000000000),
                       ('default', 'elena', 'user1', 0, 'tide', 'early riser', 0.6, 'memory:4', 0, 'dm', 1790000000000, 1790000000000),
                       ('default', 'elena', 'user1', 0, 'name', 'Ann', 1, 'user', 0, 'dm', 1790000000000, 1790000000000);
                """;
            await facts.ExecuteNonQueryAsync();
        }

        var merged = await CliRunner.RunAsync(Migrate("--merge"));

        Assert.True(merged.ExitCode == 0, merged.Output + merged.Error);
        Assert.DoesNotContain("DIFFERENT", merged.Output, StringComparison.Ordinal);
        await using var target = new NpgsqlConnection(TestServers.Postgres + $";Search Path={_schema}");
        await target.OpenAsync();
        async Task<string> NewIdsAsync(string table, params long[] sourceIds)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT string_agg(id::text, ',' ORDER BY origin_id) FROM {table} WHERE origin_id = ANY($1) AND origin_store = (SELECT origin_store FROM facts WHERE value = 'a red dinghy');",
                target);
            command.Parameters.AddWithValue(sourceIds);
            return (string)(await command.ExecuteScalarAsync())!;
        }

        var sources = new Dictionary<string, string>();
        await using (var command = new NpgsqlCommand("SELECT fact_key, source FROM facts WHERE origin_store = (SELECT origin_store FROM facts WHERE value = 'a red dinghy');", target))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sources[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var messages = await NewIdsAsync("messages", 2, 3);
        var memory = await NewIdsAsync("memories", 4);
        Assert.NotEqual("2,3", messages);
        Assert.NotEqual("4", memory);
        Assert.Equal("message:" + messages, sources["boat"]);
        Assert.Equal("memory:" + memory, sources["tide"]);
        Assert.Equal("user", sources["name"]);

        // The values for the same key met as a new value meets an old one: the newer stays active, the older is retired,
        // superseded by it; the check still finds every copied row equal and says what was resolved.
        var values = new Dictionary<string, (bool Active, string? SupersededBy)>();
        await using (var command = new NpgsqlCommand(
            "SELECT f.value, f.retired_at IS NULL, (SELECT s.value FROM facts s WHERE s.id = f.superseded_by) FROM facts f WHERE f.fact_key IN ('boat', 'tide');", target))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                values[reader.GetString(0)] = (reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        Assert.Equal((true, (string?)null), values["a red dinghy"]);
        Assert.Equal((false, "a red dinghy"), values["a blue kayak"]);
        Assert.Equal((true, (string?)null), values["late sleeper"]);
        Assert.Equal((false, "late sleeper"), values["early riser"]);
        Assert.Contains("facts: 1 copied values were older", merged.Output, StringComparison.Ordinal);
        Assert.Contains("1 of the target's values were replaced", merged.Output, StringComparison.Ordinal);
        Assert.Contains("Verified: every table is equal", merged.Output, StringComparison.Ordinal);

        // Topic clusters came along where the partition is this file's alone; the shared one keeps the target's clustering.
        Assert.Matches(@"memory_clusters\s*│\s*1\s*│\s*1\s*│", merged.Output);
        Assert.Contains("memory_clusters: 1 partitions already had memories in the target", merged.Output, StringComparison.Ordinal);
        Assert.Equal(1, await TargetCountAsync("memory_clusters c JOIN memory_partitions p ON p.id = c.partition_id WHERE p.bot_id = 'marcus'"));
        Assert.Equal(0, await TargetCountAsync("memory_clusters c JOIN memory_partitions p ON p.id = c.partition_id WHERE p.bot_id = 'elena'"));
        Assert.Equal(2, await TargetCountAsync("memories m JOIN memory_partitions p ON p.id = m.partition_id WHERE p.bot_id = 'marcus' AND m.cluster_id = 0"));
    }

    [Fact]
    public async Task Migrate_KilledMidway_RerunContinuesWithoutDuplicates()
    {
        const int conversations = 20;
        const int messagesEach = 1_000;
        await SeedAsync(Path.Combine(_home.Path, "whisperengine.db"), conversations, messagesEach);

        // Half a second between batches of 2,000: a wide window in which to stop it, however fast the machine.
        using (var process = Process.Start(CliRunner.StartInfo(Migrate("--pause-ms", "500")))!)
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

                if (copied >= 2_000)
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

    [Fact]
    public async Task Migrate_KilledMidwayThroughFacts_RerunCopiesTheRestWithTheirHistory()
    {
        const int keys = 1_500;
        var path = Path.Combine(_home.Path, "whisperengine.db");
        await SeedAsync(path, conversations: 1, messagesEach: 3);
        await SeedMemoriesAsync(path, partitions: 2, memoriesEach: 20);
        await SeedFactsAndCountersAsync(path, keys);
        await SeedClustersAsync(path, clustersEach: 3);

        using (var process = Process.Start(CliRunner.StartInfo(Migrate("--batch-size", "250", "--pause-ms", "150")))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            long copied = 0;
            while (DateTime.UtcNow < deadline && !process.HasExited && copied < 500)
            {
                try
                {
                    copied = await TargetCountAsync("facts");
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

        Assert.InRange(await TargetCountAsync("facts"), 1, (3 * keys) - 1);

        var rerun = await CliRunner.RunAsync(Migrate(), timeout: TimeSpan.FromMinutes(2));

        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Error);
        Assert.DoesNotContain("DIFFERENT", rerun.Output, StringComparison.Ordinal);
        Assert.Matches(@"facts\s*│\s*4,500\s*│\s*4,500\s*│", rerun.Output);
        Assert.Contains("Verified: every table is equal", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(5, await TargetCountAsync("memory_consolidation_sources"));
        Assert.Equal(3 * keys, await TargetCountAsync("facts"));
        Assert.Equal(keys, await TargetCountAsync("facts WHERE retired_at IS NULL"));
        Assert.Equal(0, await TargetCountAsync("facts f WHERE retired_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facts n WHERE n.id = f.superseded_by AND n.fact_key = f.fact_key)"));
        Assert.Equal(2, await TargetCountAsync("relationships"));
        Assert.Equal(1, await TargetCountAsync("memory_consolidations"));
        Assert.Matches(@"memory_clusters\s*│\s*6\s*│\s*6\s*│", rerun.Output);
        Assert.Equal(40, await TargetCountAsync("memories WHERE cluster_id IS NOT NULL"));
        Assert.Equal(0, await TargetCountAsync("memories m WHERE NOT EXISTS (SELECT 1 FROM memory_clusters c WHERE c.partition_id = m.partition_id AND c.cluster_id = m.cluster_id)"));
    }

    /// <summary>
    /// Writes facts straight into a desktop database (each key three values, the first two retired and superseded), the
    /// relationship counters of every memory partition, and a consolidation of the first partition's first five memories.
    /// </summary>
    private static async Task SeedFactsAndCountersAsync(string path, int keys)
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        db.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        await using var connection = await db.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var fact = connection.CreateCommand();
        fact.CommandText = """
            INSERT INTO facts (tenant_id, bot_id, user_id, subject, fact_key, value, confidence, source, privacy, channel_id, created_at, updated_at, retired_at)
            VALUES ('default', 'elena', 'user0', 0, $key, $value, $confidence, 'message:1', 0, 'dm', $at, $at, $retired) RETURNING id;
            """;
        await using var supersede = connection.CreateCommand();
        supersede.CommandText = "UPDATE facts SET superseded_by = $new, retired_reason = 'changed 🐙' WHERE id = $old;";
        for (var k = 0; k < keys; k++)
        {
            long? previous = null;
            for (var v = 0; v < 3; v++)
            {
                fact.Parameters.Clear();
                fact.Parameters.AddWithValue("$key", $"key_{k}");
                fact.Parameters.AddWithValue("$value", $"value {v} of key {k}, ünïcödé");
                fact.Parameters.AddWithValue("$confidence", 0.5 + (v / 10.0) + (k % 7 / 100.0));
                fact.Parameters.AddWithValue("$at", 1_790_000_000_000L + (k * 3) + v);
                fact.Parameters.AddWithValue("$retired", v < 2 ? 1_790_000_000_000L + (k * 3) + v + 1 : DBNull.Value);
                var id = (long)(await fact.ExecuteScalarAsync())!;
                if (previous is { } old)
                {
                    supersede.Parameters.Clear();
                    supersede.Parameters.AddWithValue("$new", id);
                    supersede.Parameters.AddWithValue("$old", old);
                    await supersede.ExecuteNonQueryAsync();
                }

                previous = id;
            }
        }

        await using var counters = connection.CreateCommand();
        counters.CommandText = """
            INSERT INTO relationships (partition_id, exchanges, total_exchanges, days, last_day, day_exchanges, first_at, last_at)
            SELECT id, 20 + id, 30 + id, 3, 20700, 2, 1790000000000, 1790000500000 FROM memory_partitions;
            INSERT INTO fact_extraction_marks (tenant_id, bot_id, user_id, channel_id, last_message_id, updated_at)
            VALUES ('default', 'elena', 'user0', 'dm', 0, 1790000000000);
            INSERT INTO memory_consolidations (partition_id, channel_id, privacy, day, summary, occurred_at, created_at)
            VALUES (1, 'dm', 0, 1789948800000, 'The tide, five times.', 1790000000000, 1790000600000);
            INSERT INTO memory_consolidation_sources (memory_id, consolidation_id)
            SELECT id, (SELECT max(id) FROM memory_consolidations) FROM memories WHERE partition_id = 1 ORDER BY id LIMIT 5;
            """;
        await counters.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Gives each memory partition of a desktop database <paramref name="clustersEach"/> topic clusters, its memories spread over them.</summary>
    private static async Task SeedClustersAsync(string path, int clustersEach)
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = path });
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE c(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM c WHERE value + 1 < $k)
            INSERT INTO memory_clusters (partition_id, cluster_id, label, size, members_at_build, embedding_model, embedding_dims, centroid, created_at)
            SELECT p.id, c.value, 'tide, sea ' || c.value || ' 🐙', 10, 9, 'model-x', 16, zeroblob(64), 1790000700000 + c.value
            FROM memory_partitions p, c;
            UPDATE memories SET cluster_id = id % $k;
            """;
        command.Parameters.AddWithValue("$k", clustersEach);
        await command.ExecuteNonQueryAsync();
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
