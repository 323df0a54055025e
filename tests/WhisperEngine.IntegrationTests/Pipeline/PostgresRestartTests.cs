using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>PostgreSQL restarts while turns run: turns fail cleanly, nothing acknowledged is lost, the engine recovers by itself.</summary>
public sealed class PostgresRestartTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly PrivatePostgres _postgres = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.DefaultReply = FakeReply.Text("reply", firstTokenDelay: TimeSpan.FromMilliseconds(30));
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose()
    {
        _postgres.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Turns_PostgresRestartsUnderLoad_FailCleanlyLoseNothingAndRecover()
    {
        var configuration = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = _postgres.ConnectionString,
        });
        await using var engine = await EngineHost.StartAsync(configuration);
        var succeeded = new System.Collections.Concurrent.ConcurrentBag<(ConversationKey Key, string Text)>();
        var storedBeforeFailure = new System.Collections.Concurrent.ConcurrentBag<(ConversationKey Key, string Text)>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<TurnErrorKind>();
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, 12).Select(async c =>
        {
            var key = new ConversationKey("default", "elena", $"user{c}", "api");
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var text = $"user{c} message {i}";
                try
                {
                    await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, text));
                    succeeded.Add((key, text));
                }
                catch (TurnException ex)
                {
                    failures.Add(ex.Kind);
                    if (ex.UserMessageStored)
                    {
                        storedBeforeFailure.Add((key, text));
                    }

                    await Task.Delay(50);
                }
            }
        }).ToList();

        // Turns flowing before the restart: the first ones load the embedding model and the vocabulary, which on a busy
        // machine takes longer than any fixed wait.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (succeeded.Count < 12 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var beforeRestart = succeeded.Count;
        _postgres.Restart();
        await Task.Delay(2_000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(beforeRestart > 0, "no turn succeeded before the restart");
        Assert.All(failures, kind => Assert.Equal(TurnErrorKind.StorageUnavailable, kind));

        // The engine recovered without a restart: a new turn succeeds.
        var after = new ConversationKey("default", "elena", "after", "api");
        await engine.Pipeline.RunAsync(new TurnRequest(after, PrivacyLevel.DirectMessage, "after the restart"));

        // Every acknowledged message is in the database: both sides of each successful turn, and the user side of
        // turns that failed after it was stored.
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        var stored = new HashSet<string>();
        await using (var command = new NpgsqlCommand("SELECT content FROM messages WHERE role = 0;", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.All(succeeded.Concat(storedBeforeFailure), turn => Assert.Contains(turn.Text, stored));
        Assert.True(succeeded.Count > beforeRestart, "no turn succeeded after the restart");
    }
}
