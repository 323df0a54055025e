using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Postgres.Facts;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;
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

    private Hosting.Configuration.LoadedConfiguration MultiBot() => TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
    {
        ["tier"] = "multi-bot",
        ["storage.postgres.connection_string"] = TestServers.Postgres,
        ["storage.postgres.schema"] = _schema,
    });

    [Fact]
    public async Task RunAsync_MultiBotTierOnPostgres_KeepsTheConversationInPostgres()
    {
        var configuration = MultiBot();
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

    [Fact]
    public async Task Turn_MultiBotTierOnPostgres_PromptHoldsAFactAndTheRelationship()
    {
        await using var memory = await MemoryEngine.StartAsync(new Dictionary<string, string>
        {
            ["tier"] = "multi-bot",
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = _schema,
        });
        Assert.IsType<PostgresFactStore>(memory.Engine.Get<IFactStore>());
        Assert.IsType<PostgresRelationshipStore>(memory.Engine.Get<IRelationshipStore>());
        await memory.Engine.Get<IFactStore>().AddAsync(new FactOwner("default", "elena", "ann"),
            new NewFact(FactSubject.User, "pet.cat.name", "Miso", 0.9, "message:1", PrivacyLevel.DirectMessage, "dm-1"));

        var first = await memory.SayAsync("ann", "dm-1", PrivacyLevel.DirectMessage, "Hello Elena!", userName: "Ann");
        await memory.SayAsync("ann", "dm-1", PrivacyLevel.DirectMessage, "The weather is lovely today.", userName: "Ann");
        await memory.SayAsync("ann", "dm-1", PrivacyLevel.DirectMessage, "I went for a walk by the river.", userName: "Ann");
        var fourth = await memory.SayAsync("ann", "dm-1", PrivacyLevel.DirectMessage, "Do you remember my cat's name?", userName: "Ann");

        Assert.Contains("Relationship: stranger (this is your first exchange with Ann)", first, StringComparison.Ordinal);
        Assert.Contains("Relationship: acquaintance (you have talked on 1 day, 3 exchanges", fourth, StringComparison.Ordinal);
        Assert.Contains("- pet cat name: Miso", memory.LastPromptText(), StringComparison.Ordinal);
        var stats = await memory.Engine.Get<IRelationshipStore>().GetAsync(new MemoryPartition("default", "elena", "ann"));
        Assert.Equal(4, stats!.TotalExchanges);
    }

    [Fact]
    public async Task Memory_MultiBotTierOnPostgres_StoredInPostgresRecalledAfterRestart()
    {
        var configuration = MultiBot();
        var pat = new MemoryPartition("default", "elena", "pat");
        var otherBot = pat with { BotId = "marcus" };
        await using (var engine = new EngineHost(configuration))
        {
            Assert.IsType<PostgresMemoryStore>(engine.Get<IMemoryStore>());
            var writer = engine.Get<MemoryWriter>();
            await writer.WriteAsync(new NewMemory(pat, "api", PrivacyLevel.DirectMessage, "pat", "My cat Miso hates the vacuum cleaner.", DateTimeOffset.UtcNow));
            await writer.WriteAsync(new NewMemory(otherBot, "api", PrivacyLevel.DirectMessage, "pat", "My cat Miso loves the vacuum cleaner.", DateTimeOffset.UtcNow));
        }

        await using var restarted = new EngineHost(configuration);
        var retriever = restarted.Get<IMemoryRetriever>();
        var recall = await retriever.RetrieveAsync(new MemoryQuery(new RecallScope(pat, "api", PrivacyLevel.DirectMessage), "What does my cat hate?"));
        var inPublic = await retriever.RetrieveAsync(new MemoryQuery(new RecallScope(pat, "general", PrivacyLevel.PublicChannel), "What does my cat hate?"));

        Assert.Equal(["My cat Miso hates the vacuum cleaner."], recall.Hits.Select(h => h.Record.Text));
        Assert.Empty(inPublic.Hits);
        Assert.Equal(1, await restarted.Get<IMemoryStore>().CountAsync(pat));
        Assert.False(File.Exists(Path.Combine(_home.Path, "whisperengine.db")), "the multi-bot tier must not write a SQLite file");
    }
}
