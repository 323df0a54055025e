using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Redis;

/// <summary>
/// Two deployments on different PostgreSQL schemas share one Redis with the same key prefix: the cached conversation
/// lookups (ids of one store) must not cross, or one person's message would land in another person's conversation.
/// </summary>
public sealed class SharedRedisTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _homeA = new();
    private readonly TempDirectory _homeB = new();
    private readonly PrivateRedis _redis = new();
    private readonly string _schemaA = TestServers.NewSchema();
    private readonly string _schemaB = TestServers.NewSchema();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await TestServers.DropSchemaAsync(_schemaA);
        await TestServers.DropSchemaAsync(_schemaB);
    }

    public void Dispose()
    {
        _redis.Dispose();
        _homeA.Dispose();
        _homeB.Dispose();
    }

    private Task<EngineHost> StartAsync(TempDirectory home, string schema) => EngineHost.StartAsync(TestConfig.Load(home.Path, _model.BaseUrl,
        new Dictionary<string, string>
        {
            ["storage.postgres.connection_string"] = TestServers.Postgres,
            ["storage.postgres.schema"] = schema,
            ["cache.provider"] = "redis",
            ["redis.connection_string"] = _redis.Configuration,
        }));

    private static async Task<IReadOnlyList<string>> MessagesAsync(EngineHost engine, ConversationKey key)
    {
        var store = engine.Get<IConversationStore>();
        var conversation = await store.GetOrCreateConversationAsync(key, PrivacyLevel.DirectMessage);
        return (await store.GetRecentMessagesAsync(conversation, 20)).Select(m => m.Content).ToList();
    }

    [Fact]
    public async Task TwoStoresOnOneRedis_KeepTheirConversationsApart()
    {
        var ann = new ConversationKey("default", "elena", "ann", "api");
        var zed = new ConversationKey("default", "elena", "zed", "api");
        await using var a = await StartAsync(_homeA, _schemaA);
        await using var b = await StartAsync(_homeB, _schemaB);

        // In B, Zed's conversation takes the first id; in A, Ann's does, and A caches that lookup in the shared Redis.
        await b.Pipeline.RunAsync(new TurnRequest(zed, PrivacyLevel.DirectMessage, "Zed's own words."));
        await a.Pipeline.RunAsync(new TurnRequest(ann, PrivacyLevel.DirectMessage, "Ann talking to deployment A."));
        await b.Pipeline.RunAsync(new TurnRequest(ann, PrivacyLevel.DirectMessage, "Ann talking to deployment B."));

        Assert.DoesNotContain("Ann talking to deployment B.", await MessagesAsync(b, zed));
        Assert.Contains("Ann talking to deployment B.", await MessagesAsync(b, ann));
        Assert.DoesNotContain("Ann talking to deployment B.", await MessagesAsync(a, ann));
    }
}
