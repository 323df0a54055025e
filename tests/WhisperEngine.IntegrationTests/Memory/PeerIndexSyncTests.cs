using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// Two processes' worth of engines on one PostgreSQL schema and one Redis (the multi-bot tier behind a load balancer):
/// each holds its own in-memory vector indexes, and what one stores or erases reaches the other's.
/// </summary>
public sealed class PeerIndexSyncTests : IAsyncLifetime, IDisposable
{
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");
    private static readonly RecallScope Scope = new(Ann, "dm-ann", PrivacyLevel.DirectMessage);

    private readonly TempDirectory _homeA = new();
    private readonly TempDirectory _homeB = new();
    private readonly PrivateRedis _redis = new();
    private readonly string _schema = TestServers.NewSchema();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await TestServers.DropSchemaAsync(_schema);
    }

    public void Dispose()
    {
        _redis.Dispose();
        _homeA.Dispose();
        _homeB.Dispose();
    }

    private Task<EngineHost> StartAsync(TempDirectory home) => EngineHost.StartAsync(TestConfig.Load(home.Path, _model.BaseUrl, new Dictionary<string, string>
    {
        ["storage.postgres.connection_string"] = TestServers.Postgres,
        ["storage.postgres.schema"] = _schema,
        ["cache.provider"] = "redis",
        ["redis.connection_string"] = _redis.Configuration,
    }));

    private static Task<MemoryRecall> DenseAsync(EngineHost engine, string query) =>
        engine.Get<IMemoryRetriever>().RetrieveAsync(new MemoryQuery(Scope, query) { Mode = RetrievalMode.Dense }).AsTask();

    private static Task<MemoryRecord> WriteAsync(EngineHost engine, string text) =>
        engine.Get<MemoryWriter>().WriteAsync(new NewMemory(Ann, "dm-ann", PrivacyLevel.DirectMessage, "ann", text, DateTimeOffset.UtcNow)).AsTask();

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }

    [Fact]
    public async Task MemoryStoredByOneProcess_IsFoundByTheOtherWhoseIndexWasAlreadyLoaded()
    {
        await using var a = await StartAsync(_homeA);
        await using var b = await StartAsync(_homeB);
        await WriteAsync(a, "I grow tomatoes on my balcony.");
        // A's index of Ann is loaded now, before B writes.
        Assert.Equal(["I grow tomatoes on my balcony."], (await DenseAsync(a, "what do I grow")).Hits.Select(h => h.Record.Text));
        Assert.True(a.Get<VectorIndexRegistry>().IsLoaded(Ann));

        await WriteAsync(b, "My sailing boat is called Gull.");

        Assert.True(await EventuallyAsync(async () => (await DenseAsync(a, "What is the name of my boat?")).Hits.FirstOrDefault()?.Record.Text == "My sailing boat is called Gull.",
            TimeSpan.FromSeconds(10)), "process A never found the memory process B stored");
        Assert.True(a.Get<VectorIndexRegistry>().IsLoaded(Ann), "A reloaded its index instead of taking B's vector");
    }

    [Fact]
    public async Task PersonForgottenByOneProcess_LeavesTheOthersMemoryToo()
    {
        await using var a = await StartAsync(_homeA);
        await using var b = await StartAsync(_homeB);
        await WriteAsync(a, "My sister lives in Porto.");
        Assert.Single((await DenseAsync(a, "where does my sister live")).Hits);
        await DenseAsync(b, "where does my sister live");
        Assert.True(b.Get<VectorIndexRegistry>().IsLoaded(Ann));

        await a.Get<MemoryWriter>().ForgetAsync(Ann);

        Assert.False(a.Get<VectorIndexRegistry>().IsLoaded(Ann));
        Assert.True(await EventuallyAsync(() => Task.FromResult(!b.Get<VectorIndexRegistry>().IsLoaded(Ann)), TimeSpan.FromSeconds(10)),
            "process B still holds the forgotten person's vectors");
    }

    [Fact]
    public async Task RedisDownWhileTheOtherProcessStores_IndexesAreReloadedWhenItReturns()
    {
        await using var a = await StartAsync(_homeA);
        await using var b = await StartAsync(_homeB);
        await WriteAsync(a, "I grow tomatoes on my balcony.");
        await DenseAsync(a, "what do I grow");

        _redis.Kill();
        // B's message about this memory is lost with Redis.
        await WriteAsync(b, "My sailing boat is called Gull.");
        Assert.DoesNotContain("My sailing boat is called Gull.", (await DenseAsync(a, "What is the name of my boat?")).Hits.Select(h => h.Record.Text));
        _redis.Start();

        Assert.True(await EventuallyAsync(async () => (await DenseAsync(a, "What is the name of my boat?")).Hits.FirstOrDefault()?.Record.Text == "My sailing boat is called Gull.",
            TimeSpan.FromSeconds(20)), "process A never caught up with what B stored while Redis was down");
    }
}
