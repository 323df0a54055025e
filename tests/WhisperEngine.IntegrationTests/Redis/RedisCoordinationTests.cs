using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Coordination;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Redis;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Redis;

/// <summary>What several processes share through Redis, and what happens when Redis goes away and comes back.</summary>
public sealed class RedisCoordinationTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly PrivateRedis _redis = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose()
    {
        _redis.Dispose();
        _home.Dispose();
    }

    private RedisConnection Connect() => new(new RedisOptions { Configuration = _redis.Configuration, LockTtl = TimeSpan.FromSeconds(3) },
        NullLogger<RedisConnection>.Instance);

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    [Fact]
    public async Task Dispatchers_InTwoProcesses_TakeTurnsOnOneConversationWithRisingFencingTokens()
    {
        using var a = Connect();
        using var b = Connect();
        var processA = new RedisTurnDispatcher(new InProcessTurnDispatcher(4, 64), a, NullLogger<RedisTurnDispatcher>.Instance);
        var processB = new RedisTurnDispatcher(new InProcessTurnDispatcher(4, 64), b, NullLogger<RedisTurnDispatcher>.Instance);
        var key = new ConversationKey("default", "elena", "ann", "c1");

        var leaseA = await processA.AcquireAsync(key);
        var acquireB = processB.AcquireAsync(key).AsTask();
        await Task.Delay(300);
        Assert.False(acquireB.IsCompleted, "process B entered while process A held the conversation");
        var other = await processB.AcquireAsync(key with { UserId = "bob" });
        await other.DisposeAsync();

        await leaseA.DisposeAsync();
        var leaseB = await acquireB.WaitAsync(TimeSpan.FromSeconds(5));
        await leaseB.DisposeAsync();

        var tokenA = Assert.IsAssignableFrom<IFencedLease>(leaseA).FencingToken;
        var tokenB = Assert.IsAssignableFrom<IFencedLease>(leaseB).FencingToken;
        Assert.True(tokenB > tokenA, $"token of B {tokenB} is not above token of A {tokenA}");
        Assert.Equal(tokenB, (long)await a.Database.StringGetAsync($"we:fence:{{{key}}}"));
    }

    [Fact]
    public async Task Store_HolderWhoseLockExpired_CannotWriteAfterTheProcessThatTookOver()
    {
        using var a = Connect();
        using var b = Connect();
        var processA = new RedisTurnDispatcher(new InProcessTurnDispatcher(4, 64), a, NullLogger<RedisTurnDispatcher>.Instance);
        var processB = new RedisTurnDispatcher(new InProcessTurnDispatcher(4, 64), b, NullLogger<RedisTurnDispatcher>.Instance);
        var key = new ConversationKey("default", "elena", "ann", "fenced");
        await using var engine = new EngineHost(TestConfig.Load(_home.Path, _model.BaseUrl));
        var store = engine.Get<IConversationStore>();
        var conversation = await store.GetOrCreateConversationAsync(key, PrivacyLevel.DirectMessage);

        var leaseA = await processA.AcquireAsync(key);
        var tokenA = ((IFencedLease)leaseA).FencingToken;
        await store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "A starts", 1) { FencingToken = tokenA });
        // A stalls (a long GC pause, a frozen VM) past its lock's expiry: the key is gone and B takes over.
        await a.Database.KeyDeleteAsync($"we:lock:{{{key}}}");
        await using (var leaseB = await processB.AcquireAsync(key).AsTask().WaitAsync(TimeSpan.FromSeconds(5)))
        {
            await store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "B took over", 1) { FencingToken = ((IFencedLease)leaseB).FencingToken });
        }

        await Assert.ThrowsAsync<StaleFencingTokenException>(() =>
            store.AppendMessageAsync(conversation, new NewMessage(MessageRole.Assistant, "A wakes up and writes", 1) { FencingToken = tokenA }).AsTask());
        await leaseA.DisposeAsync();

        Assert.Equal(["A starts", "B took over"], (await store.GetRecentMessagesAsync(conversation, 10)).Select(m => m.Content));
    }

    [Fact]
    public async Task Lock_HolderCrashed_ExpiresAndTheNextProcessProceeds()
    {
        using var a = Connect();
        var key = new ConversationKey("default", "elena", "ann", "c2");
        // A process that took the lock and died without releasing it.
        await a.Database.StringSetAsync($"we:lock:{{{key}}}", 99, TimeSpan.FromSeconds(1));
        var dispatcher = new RedisTurnDispatcher(new InProcessTurnDispatcher(4, 64), a, NullLogger<RedisTurnDispatcher>.Instance);

        var watch = Stopwatch.StartNew();
        await using (await dispatcher.AcquireAsync(key).AsTask().WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(500), "the stale lock was ignored");
        }
    }

    [Fact]
    public async Task Counters_SharedAcrossProcesses_AddUpAndExpire()
    {
        using var a = Connect();
        using var b = Connect();
        var counterA = new RedisCounterStore(a, new InMemoryCounterStore(TimeProvider.System));
        var counterB = new RedisCounterStore(b, new InMemoryCounterStore(TimeProvider.System));

        // The window is long enough for 50 adds on a loaded machine; the expiry is then waited for.
        var window = TimeSpan.FromSeconds(4);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? counterA : counterB).AddAsync("budget:elena", 3, window).AsTask()));

        Assert.Equal(150, await counterA.GetAsync("budget:elena"));
        await Task.Delay(window - started.Elapsed + TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, await counterB.GetAsync("budget:elena"));
    }

    [Fact]
    public async Task Engine_RedisKilledMidConversation_KeepsAnsweringLosesNothingAndUsesRedisAgainWhenBack()
    {
        var configuration = TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
        {
            ["cache.provider"] = "redis",
            ["redis.connection_string"] = _redis.Configuration,
        });
        var key = new ConversationKey("default", "elena", "ann", "api");
        await using var engine = new EngineHost(configuration);
        var connection = engine.Get<RedisConnection>();
        Assert.IsType<RedisTurnDispatcher>(engine.Get<ITurnDispatcher>());

        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "one"));
        var firstToken = (long)await connection.Database.StringGetAsync($"we:fence:{{{key}}}");
        Assert.True(firstToken > 0);

        _redis.Kill();
        var watch = Stopwatch.StartNew();
        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "two"));
        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "three"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"turns without Redis took {watch.Elapsed}");
        Assert.False(connection.IsAvailable);
        Assert.Equal(6, await engine.Get<IConversationStore>().CountMessagesAsync(key));

        _redis.Start();
        Assert.True(await EventuallyAsync(() => connection.IsAvailable, TimeSpan.FromSeconds(20)), "the engine did not reconnect to Redis");
        await engine.Pipeline.RunAsync(new TurnRequest(key, PrivacyLevel.DirectMessage, "four"));

        // The new Redis started empty: its fencing counter shows it is used again, without a restart, and its tokens
        // (floored at the server clock) are above the one the store kept from before, so the turn's writes pass.
        Assert.True((long)await connection.Database.StringGetAsync($"we:fence:{{{key}}}") > firstToken);
        Assert.Equal(8, await engine.Get<IConversationStore>().CountMessagesAsync(key));
        Assert.Equal(["one", "two", "three", "four"], _model.Requests.Select(r => r.Messages[^1].Content));
    }
}
