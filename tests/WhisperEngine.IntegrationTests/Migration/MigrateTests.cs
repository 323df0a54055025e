using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
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
        }

        var result = await CliRunner.RunAsync(Migrate());

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Verified", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DIFFERENT", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, await TargetCountAsync("messages"));
        Assert.Equal(2, await TargetCountAsync("usage_ledger"));

        var onPostgres = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = _schema,
        });
        Assert.Equal("multi-bot", onPostgres.Tier);
        await using (var multiBot = await EngineHost.StartAsync(onPostgres))
        {
            await multiBot.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "What is my job?"));
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
