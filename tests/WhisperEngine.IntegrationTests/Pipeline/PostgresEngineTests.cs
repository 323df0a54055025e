using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>The same engine, configured for the multi-bot tier, on the real PostgreSQL server.</summary>
public sealed class PostgresEngineTests : IAsyncLifetime, IDisposable
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

    [Fact]
    public async Task RunAsync_MultiBotTierOnPostgres_KeepsTheConversationInPostgres()
    {
        var configuration = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["tier"] = "multi-bot",
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = _schema,
        });
        Assert.Equal("multi-bot", configuration.Tier);
        var key = new ConversationKey("default", "elena", "pat", "api");

        await using (var engine = await EngineHost.StartAsync(configuration))
        {
            Assert.IsType<PostgresConversationStore>(engine.Get<IConversationStore>());
            _model.Enqueue(FakeReply.Text("Noted: your cat is Miso."));
            await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "My cat is called Miso."));
        }

        await using (var restarted = await EngineHost.StartAsync(configuration))
        {
            await restarted.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "What is my cat called?"));
        }

        Assert.Equal(["system", "user", "assistant", "user"], _model.Requests[^1].Messages.Select(m => m.Role));
        Assert.Equal("My cat is called Miso.", _model.Requests[^1].Messages[1].Content);
        Assert.False(File.Exists(Path.Combine(_home.Path, "whisperengine.db")), "the multi-bot tier must not write a SQLite file");
    }
}
