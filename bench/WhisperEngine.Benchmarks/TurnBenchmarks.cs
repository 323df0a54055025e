using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Chat;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Background;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Models;
using WhisperEngine.Core.Recall;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// Engine overhead of one turn without the model: the real <see cref="TurnPipeline"/> wired by
/// <c>AddWhisperEngine</c> (desktop profile, tiktoken counter; a SQLite file, or PostgreSQL with or without Redis as
/// the multi-bot tier wires them, see <see cref="Store"/>) with an instant in-process model.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><c>StoreOnly</c> (baseline): the storage calls a turn makes, through the same store: append the user message, read the newest 100, append the reply.</description></item>
/// <item><description><c>Turn</c>: <see cref="TurnPipeline.RunAsync"/> with <see cref="InstantChatClient"/> as the whole chat client.</description></item>
/// <item><description><c>TurnWithModelPipeline</c>: the same, with the instant model inside the engine's chat-client pipeline
/// (fallback, OpenTelemetry, retry, timeout, usage ledger), reporting token usage as OpenAI-compatible endpoints do:
/// what serve runs minus HTTP and JSON. One more SQLite commit per turn (the usage row).</description></item>
/// <item><description><c>TurnWithModelPipelineNoUsage</c>: the same with a model that reports no usage, so the usage
/// ledger counts the tokens of the whole prompt itself.</description></item>
/// </list>
/// The conversation is seeded with <see cref="StoredMessages"/> messages through the store; every 25 operations the
/// messages added by the benchmark are deleted again (outside the measurement) so the size stays within 50 of the seed.
/// With <see cref="Memory"/> on (<c>memory.enabled</c>), the user's memory partition is seeded with
/// <see cref="SeededMemories"/> varied memories through <c>MemoryWriter</c>, each turn recalls (MiniLM query embedding,
/// hybrid search, relationship, emotion) before assembly, and its memory writes run on the background workers; the
/// benchmark waits for them after each turn, outside the measurement, as a real turn's model call would give them time.
/// </remarks>
[Config(typeof(PerOperationConfig))]
[MedianColumn]
[MemoryDiagnoser]
public class TurnBenchmarks
{
    private const int TrimEvery = 25;
    private const string UserText = "I finally finished the garden shed today. What should I paint on the door?";

    private static readonly ConversationKey Key = new(ConversationKey.DefaultTenant, "elena", "bench-user", "bench");

    private string? _home;
    private ServiceProvider? _services;
    private TurnPipeline _turn = null!;
    private TurnPipeline _turnWithModelPipeline = null!;
    private TurnPipeline _turnWithModelPipelineNoUsage = null!;
    private BackgroundJobQueue? _queue;
    private List<IHostedService> _hosted = [];
    private IConversationStore _store = null!;
    private BenchBackend _backend = null!;
    private Conversation _conversation = null!;
    private long _lastSeedId;
    private int _sinceTrim;
    private int _userTokens;
    private int _replyTokens;
    private int _historyMessages;

    /// <summary>Messages already stored in the conversation before the benchmark.</summary>
    [Params(100, 10_000)]
    public int StoredMessages { get; set; }

    /// <summary>
    /// Where the engine keeps its data: <c>sqlite</c> (storage.sqlite.synchronous normal, the desktop default),
    /// <c>sqlite-full</c> (synchronous full), <c>postgres</c> (storage.provider postgres, wired as the multi-bot tier is,
    /// caches in process) and <c>postgres+redis</c> (the same with Redis as the cache's second level and the turn
    /// ordering lock). PostgreSQL and Redis come from <c>WHISPERENGINE_BENCH_POSTGRES</c>/<c>_REDIS</c> or the test
    /// servers' <c>WHISPERENGINE_TEST_POSTGRES</c>/<c>_REDIS</c>; each case works in a schema and key prefix of its own.
    /// </summary>
    [Params("sqlite", "sqlite-full", "postgres", "postgres+redis")]
    public string Store { get; set; } = "sqlite";

    /// <summary>memory.enabled: long-term memory in turns (recall before the prompt, writes in the background).</summary>
    [Params(false, true)]
    public bool Memory { get; set; }

    /// <summary>Memories of the user stored before the benchmark when <see cref="Memory"/> is on.</summary>
    public const int SeededMemories = 1_000;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationSetup]
    public void TrimConversation()
    {
        if (++_sinceTrim < TrimEvery)
        {
            return;
        }

        _sinceTrim = 0;
        _backend.DeleteMessagesAfterAsync(_services!, _conversation.Id, _lastSeedId).GetAwaiter().GetResult();
    }

    /// <summary>Lets the background workers finish the memory writes of the turn just measured.</summary>
    [IterationCleanup]
    public void WaitForBackgroundJobs() => _queue?.WaitIdleAsync().Wait(TimeSpan.FromMinutes(1));

    [Benchmark(Baseline = true)]
    public async Task<int> StoreOnly()
    {
        var conversation = await _store.GetOrCreateConversationAsync(Key, PrivacyLevel.DirectMessage);
        await _store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, UserText, _userTokens));
        var history = await _store.GetRecentMessagesAsync(conversation, _historyMessages);
        await _store.AppendMessageAsync(conversation, new NewMessage(MessageRole.Assistant, InstantChatClient.ReplyText, _replyTokens, Model: InstantChatClient.ModelId));
        return history.Count;
    }

    [Benchmark]
    public Task<TurnResult> Turn() => _turn.RunAsync(new TurnRequest(Key, PrivacyLevel.DirectMessage, UserText));

    [Benchmark]
    public Task<TurnResult> TurnWithModelPipeline() => _turnWithModelPipeline.RunAsync(new TurnRequest(Key, PrivacyLevel.DirectMessage, UserText));

    [Benchmark]
    public Task<TurnResult> TurnWithModelPipelineNoUsage() => _turnWithModelPipelineNoUsage.RunAsync(new TurnRequest(Key, PrivacyLevel.DirectMessage, UserText));

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var hosted in _hosted)
        {
            hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        if (_services is not null)
        {
            _backend.DropAsync(_services).GetAwaiter().GetResult();
            _services.Dispose();
        }

        BenchEnvironment.DeleteQuietly(_home);
    }

    private async Task SetupAsync()
    {
        _home = BenchEnvironment.CreateTempHome("turn");
        _backend = BenchBackend.For(Store);
        var overrides = new Dictionary<string, string>
        {
            ["llm.chat.model"] = InstantChatClient.ModelId,
            ["logging.level"] = "warning",
            ["memory.enabled"] = Memory ? "true" : "false",
        };
        _backend.AddSettings(overrides);
        var configuration = BenchEnvironment.LoadConfiguration(_home, overrides);
        var settings = configuration.Values;
        var tokens = new TiktokenTokenCounter(warmUp: false);
        tokens.CountTokens("warm up the vocabulary");

        if (_backend.IsSqlite)
        {
            await SeedSqliteAsync(settings.SqlitePath, tokens);
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWhisperEngine(configuration);
        services.AddSingleton<ITokenCounter>(tokens);
        services.AddSingleton<IChatClient>(new InstantChatClient());
        _services = services.BuildServiceProvider();
        // The background workers (memory writes) and the embedding warm-up, as a host would start them.
        _hosted = [.. _services.GetServices<IHostedService>()];
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _queue = _services.GetRequiredService<BackgroundJobQueue>();
        if (!_backend.IsSqlite)
        {
            _lastSeedId = await SeedThroughStoreAsync(_services.GetRequiredService<IConversationStore>(), tokens, StoredMessages);
        }

        if (Memory)
        {
            await SeedMemoriesAsync(_services.GetRequiredService<MemoryWriter>());
        }

        _turn = _services.GetRequiredService<TurnPipeline>();
        _turnWithModelPipeline = WithModelPipeline(new InstantChatClient(reportUsage: true), settings, tokens);
        _turnWithModelPipelineNoUsage = WithModelPipeline(new InstantChatClient(reportUsage: false), settings, tokens);
        _store = _services.GetRequiredService<IConversationStore>();
        _conversation = await _store.GetOrCreateConversationAsync(Key, PrivacyLevel.DirectMessage);
        _userTokens = tokens.CountTokens(UserText);
        _replyTokens = tokens.CountTokens(InstantChatClient.ReplyText);
        _historyMessages = settings.Engine.HistoryMessages;

        // One turn of each kind, checked, so that a broken setup fails here and not as a fast wrong number.
        foreach (var pipeline in new[] { _turn, _turnWithModelPipeline, _turnWithModelPipelineNoUsage })
        {
            var result = await pipeline.RunAsync(new TurnRequest(Key, PrivacyLevel.DirectMessage, UserText));
            if (result.Reply != InstantChatClient.ReplyText || result.FinishReason != "stop" || result.HistoryMessagesUsed < 2)
            {
                throw new InvalidOperationException($"Unexpected turn result: finish {result.FinishReason}, {result.HistoryMessagesUsed} history messages, reply '{result.Reply}'.");
            }

            // With memory, the prompt must hold recalled memories (the relationship line and at least one memory).
            if (Memory != result.ContextLinesUsed >= 2)
            {
                throw new InvalidOperationException($"Memory is {(Memory ? "on" : "off")} but the prompt had {result.ContextLinesUsed} context lines.");
            }

            await _queue.WaitIdleAsync();
        }

        _sinceTrim = TrimEvery - 1;
        TrimConversation();
    }

    /// <summary>
    /// A second pipeline on the same services, built as <c>AddWhisperEngine</c> builds the turn pipeline (the cached
    /// conversation lookup, the bot directory), whose model is <paramref name="model"/> inside the engine's chat-client pipeline.
    /// </summary>
    private TurnPipeline WithModelPipeline(InstantChatClient model, WhisperEngineSettings settings, TiktokenTokenCounter tokens)
    {
        var services = _services!;
        var chat = ChatPipeline.Build(model, settings.Chat, services.GetRequiredService<IUsageLedger>(), tokens,
            services.GetRequiredService<ILoggerFactory>(), TimeProvider.System);
        return new TurnPipeline(
            services.GetRequiredService<ICharacterCatalog>(),
            new CachingConversationStore(services.GetRequiredService<IConversationStore>(), services.GetRequiredService<HybridCache>()),
            chat,
            services.GetRequiredService<IModelRouter>(),
            tokens,
            services.GetRequiredService<ITurnDispatcher>(),
            settings.Engine,
            services.GetRequiredService<ILogger<TurnPipeline>>(),
            services.GetRequiredService<TurnMetrics>(),
            services.GetRequiredService<IBotDirectory>(),
            contextProviders: services.GetServices<ITurnContextProvider>(),
            observers: services.GetServices<ITurnObserver>(),
            contextOptions: new TurnContextOptions { MaxPromptTokens = settings.Memory.MaxPromptTokens, Timeout = settings.Memory.RecallTimeout });
    }

    /// <summary>Varied memories of the benchmark's user, through the one write path (embedding included), about the seed's topics.</summary>
    private static async Task SeedMemoriesAsync(MemoryWriter writer)
    {
        var partition = MemoryPartition.Of(Key);
        var start = DateTimeOffset.UtcNow.AddDays(-SeededMemories / 10);
        for (var i = 0; i < SeededMemories; i++)
        {
            var role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant;
            await writer.WriteAsync(new NewMemory(partition, "seed", PrivacyLevel.DirectMessage, role == MessageRole.User ? "bench-user" : "Elena",
                SeedText.Message(i, role), start.AddHours(i * 2.4)));
        }
    }

    /// <summary>Seeds the SQLite file through the store before the engine opens it, with synchronous=normal so that 10,000 commits take seconds, not minutes.</summary>
    private async Task SeedSqliteAsync(string path, TiktokenTokenCounter tokens)
    {
        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = path, Synchronous = "normal" });
        db.Migrate();
        _lastSeedId = await SeedThroughStoreAsync(new SqliteConversationStore(db, TimeProvider.System), tokens, StoredMessages);
    }

    /// <summary>Appends <paramref name="count"/> messages to the benchmark's conversation; returns the id of the last.</summary>
    private static async Task<long> SeedThroughStoreAsync(IConversationStore store, TiktokenTokenCounter tokens, int count)
    {
        var conversation = await store.GetOrCreateConversationAsync(Key, PrivacyLevel.DirectMessage);
        StoredMessage? last = null;
        for (var i = 0; i < count; i++)
        {
            var role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant;
            var text = SeedText.Message(i, role);
            last = await store.AppendMessageAsync(conversation, new NewMessage(role, text, tokens.CountTokens(text), MessageFlags.None,
                role == MessageRole.Assistant ? InstantChatClient.ModelId : null));
        }

        return last?.Id ?? 0;
    }
}
