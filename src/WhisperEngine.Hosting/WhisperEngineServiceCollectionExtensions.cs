using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WhisperEngine.AI.Chat;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.AI.Tokens;
using Microsoft.Extensions.Hosting;
using WhisperEngine.Core.Background;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Budgets;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Coordination;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Models;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Recall;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Pipeline;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Redis;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Hosting;

/// <summary>DI wiring of the engine for one process, from a validated configuration.</summary>
public static class WhisperEngineServiceCollectionExtensions
{
    /// <summary>
    /// Memory ranking as configured (<c>memory.keyword_index</c> chooses the keyword search): with <c>features.phase3_memory</c> off, importance is neither estimated nor used,
    /// and use (access count) does not count.
    /// </summary>
    internal static Memory.MemoryOptions MemoryOptionsFor(WhisperEngineSettings settings)
    {
        var options = new Memory.MemoryOptions
        {
            KeywordIndex = settings.Memory.KeywordIndex == "store" ? Memory.Keywords.KeywordIndexMode.Store : Memory.Keywords.KeywordIndexMode.Memory,
            IndexIdleTimeout = settings.Memory.IndexIdleTimeout,
            MaxIndexedMemories = settings.Memory.MaxIndexedMemories,
        };
        if (!settings.Features.GetValueOrDefault("phase3_memory", true))
        {
            options.EstimateImportance = false;
            options.ImportanceWeight = 0;
            options.AccessWeight = 0;
        }

        return options;
    }

    /// <summary>
    /// Registers the engine: characters, the store of the configured tier, the chat-client pipeline, the router,
    /// the dispatcher sized by the resource plan, the post-turn background queue and its workers (a hosted service),
    /// long-term memory in turns (when <c>memory.enabled</c> and the store has a memory backend), and the turn pipeline.
    /// </summary>
    /// <remarks>Background jobs run only in a host that starts its hosted services (<c>IHost.StartAsync</c>).</remarks>
    public static IServiceCollection AddWhisperEngine(this IServiceCollection services, LoadedConfiguration configuration)
    {
        var settings = configuration.Values;
        services.AddSingleton(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Engine);
        services.AddSingleton<IOptions<EngineOptions>>(Options.Create(settings.Engine));
        services.AddSingleton(settings.Chat);
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<TurnMetrics>();

        services.AddSingleton<ICharacterCatalog>(_ => new CharacterDirectoryCatalog(settings.CharacterDirectories));
        services.AddSingleton<IBotDirectory>(sp =>
        {
            var characters = sp.GetRequiredService<ICharacterCatalog>();
            var problems = settings.Bots
                .Where(b => characters.Find(b.Definition.CharacterId) is null)
                .Select(b => ConfigurationLoader.Problem(b.Source, $"bots.{b.Definition.Id}.character",
                    $"bot '{b.Definition.Id}' speaks as '{b.Definition.CharacterId}', which is not a loaded character; known: {string.Join(", ", characters.All.Select(c => c.Id))}"))
                .ToList();
            if (problems.Count > 0)
            {
                throw new ConfigurationException(problems);
            }

            return new BotDirectory([.. settings.Bots.Select(b => b.Definition)], characters);
        });
        switch (settings.StorageProvider)
        {
            case "sqlite":
                Directory.CreateDirectory(settings.Home);
                services.AddSqliteStores(new SqliteStoreOptions { Path = settings.SqlitePath, Synchronous = settings.SqliteSynchronous });
                services.AddSqliteMemoryStore();
                break;
            case "postgres" when settings.PostgresConnectionString is { } connectionString:
                services.AddPostgresStores(new PostgresStoreOptions { ConnectionString = connectionString, Schema = settings.PostgresSchema });
                services.AddPostgresMemoryStore(keywordSearchInStore: settings.Memory.KeywordIndex == "store");
                break;
            default:
                throw new ConfigurationException([new ValidationProblem("storage.provider", 0, 0, "storage.provider",
                    $"'{settings.StorageProvider}' is not available in this build yet; use sqlite (tier {settings.Tier} needs the PostgreSQL backend)")]);
        }

        AddCache(services, settings);
        AddPrices(settings, configuration);
        if (settings.Budgets.Any)
        {
            services.AddSingleton(sp => new BudgetGuard(settings.Budgets, sp.GetRequiredService<ICounterStore>(),
                model => settings.Chat.Prices.TryGetValue(model, out var price) ? price : null,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BudgetGuard>>()));
        }

        services.AddSingleton<ITokenCounter>(_ => new TiktokenTokenCounter());
        if (!settings.Embeddings.IsLocal)
        {
            // An OpenAI-compatible /embeddings endpoint instead of the local model (AddLocalMemory then adds none).
            var embeddings = settings.Embeddings;
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ =>
                new OpenAiEmbeddingGenerator(embeddings.ApiUrl!, embeddings.ApiKey, embeddings.Model, embeddings.Dimensions, embeddings.Timeout));
            services.AddSingleton(new EmbeddingGeneratorMetadata("openai", embeddings.ApiUrl, embeddings.Model, embeddings.Dimensions));
        }

        services.AddLocalMemory(MemoryOptionsFor(settings), precision: settings.Embeddings.Precision);
        if (settings.Budgets.Any)
        {
            // Background model calls (fact extraction, summaries) count against the same limits as turns.
            services.AddSingleton(sp => new BudgetedChatClient(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<BudgetGuard>(),
                sp.GetRequiredService<IBotDirectory>(), sp.GetRequiredService<ITokenCounter>()));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<FactExtractor>(sp, sp.GetRequiredService<BudgetedChatClient>()));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<MemoryConsolidator>(sp, sp.GetRequiredService<BudgetedChatClient>()));
        }

        services.AddMemoryJobs(settings.Facts, settings.Consolidation);
        services.AddHostedService<MemoryJobService>();
        AddTurnMemory(services, settings);
        if (settings.Clustering.Enabled)
        {
            services.AddSingleton(settings.Clustering);
            services.AddSingleton<IHostedService, MemoryClusteringService>();
        }

        services.AddSingleton<IChatClient>(sp =>
        {
            if (settings.Chat.ApiUrl is null && settings.Bots.All(b => b.ApiUrl is null))
            {
                return new NotConfiguredChatClient();
            }

            IChatClient shared = settings.Chat.ApiUrl is null ? new NotConfiguredChatClient() : new OpenAiModelChatClient(settings.Chat);
            var perBot = new Dictionary<string, IChatClient>(StringComparer.Ordinal);
            foreach (var bot in settings.Bots.Where(b => b.ApiUrl is not null || b.ApiKey is not null))
            {
                var endpoint = new ModelEndpointOptions
                {
                    ApiUrl = bot.ApiUrl ?? settings.Chat.ApiUrl,
                    ApiKey = bot.ApiKey ?? settings.Chat.ApiKey,
                    RequestTimeout = settings.Chat.RequestTimeout,
                };
                if (endpoint.ApiUrl is not null)
                {
                    perBot[bot.Definition.Id] = new OpenAiModelChatClient(endpoint);
                }
            }

            return ChatPipeline.Build(new BotEndpointChatClient(shared, perBot), settings.Chat, sp.GetRequiredService<IUsageLedger>(),
                sp.GetRequiredService<ITokenCounter>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IModelHealth>());
        });
        services.AddSingleton<IModelHealth>(sp => new ModelHealth(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IModelRouter>(sp => new ConfiguredModelRouter(settings.ChatModel, settings.FallbackModels, settings.Routing,
            sp.GetRequiredService<IModelHealth>()));
        services.AddSingleton<InProcessTurnDispatcher>(_ => new InProcessTurnDispatcher(settings.MaxConcurrentTurns, settings.QueueCapacity));
        services.AddSingleton<ITurnDispatcher>(sp => settings.CacheProvider == "redis"
            ? new RedisTurnDispatcher(sp.GetRequiredService<InProcessTurnDispatcher>(), sp.GetRequiredService<RedisConnection>(),
                sp.GetRequiredService<ILogger<RedisTurnDispatcher>>())
            : sp.GetRequiredService<InProcessTurnDispatcher>());
        services.AddSingleton(sp => new TurnPipeline(
            sp.GetRequiredService<ICharacterCatalog>(),
            new CachingConversationStore(sp.GetRequiredService<Core.Storage.IConversationStore>(), sp.GetRequiredService<HybridCache>()),
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<IModelRouter>(),
            sp.GetRequiredService<ITokenCounter>(),
            sp.GetRequiredService<ITurnDispatcher>(),
            settings.Engine,
            sp.GetRequiredService<ILogger<TurnPipeline>>(),
            sp.GetRequiredService<TurnMetrics>(),
            sp.GetRequiredService<IBotDirectory>(),
            sp.GetService<BudgetGuard>(),
            sp.GetServices<ITurnContextProvider>(),
            sp.GetServices<ITurnObserver>(),
            new TurnContextOptions { MaxPromptTokens = settings.Memory.MaxPromptTokens, Timeout = settings.Memory.RecallTimeout },
            sp.GetRequiredService<TimeProvider>()));

        // A person's data across every store (export and erasure: the CLI, Discord's forget command, the HTTP API).
        services.AddSingleton<IErasureFinisher, ConversationCacheEviction>();
        services.AddSingleton<UserDataService>();
        services.AddHostedService<MemoryModelCheck>();
        return services;
    }

    /// <summary>The post-turn queue (always: other background work uses it too) and, when enabled, memory in turns.</summary>
    private static void AddTurnMemory(IServiceCollection services, WhisperEngineSettings settings)
    {
        var memory = settings.Memory;
        services.AddSingleton(sp => new BackgroundJobQueue(memory.QueueCapacity, sp.GetRequiredService<ILogger<BackgroundJobQueue>>()));
        services.AddSingleton<IBackgroundJobQueue>(sp => sp.GetRequiredService<BackgroundJobQueue>());
        services.AddSingleton<IHostedService, BackgroundJobService>();

        // A storage backend without a memory store (PostgreSQL, until its memory store lands) runs turns without memory.
        if (!memory.Enabled || !services.Any(d => d.ServiceType == typeof(IMemoryStore)))
        {
            return;
        }

        services.AddTurnMemory(new TurnMemoryOptions
        {
            RecallCount = memory.RecallCount,
            MaxPromptTokens = memory.MaxPromptTokens,
            Relationship = memory.Relationship,
            Emotion = memory.Emotion,
            RememberReplies = memory.RememberReplies,
        });
        if (settings.Embeddings.IsLocal)
        {
            services.AddSingleton<IHostedService, MemoryWarmupService>();
        }

        // Facts reach the prompt whenever the backend keeps them (people can add their own); extraction only when enabled.
        if (services.Any(d => d.ServiceType == typeof(IFactStore)))
        {
            services.AddSingleton<ITurnContextProvider, FactContextProvider>();
            if (settings.Facts.Enabled)
            {
                services.AddSingleton<ITurnObserver, FactJobsTurnObserver>();
            }
        }
    }

    /// <summary>The shipped price table (configs/prices.yaml) under the operator's llm.prices, for the ledger and budgets.</summary>
    private static void AddPrices(WhisperEngineSettings settings, LoadedConfiguration configuration)
    {
        var shipped = Path.Combine(Path.GetDirectoryName(configuration.ProfileFile) ?? "", "prices.yaml");
        if (!File.Exists(shipped))
        {
            return;
        }

        foreach (var (model, price) in Usage.Pricing.PriceTable.Load(shipped).Prices)
        {
            settings.Chat.Prices.TryAdd(model, price);
        }
    }

    /// <summary>HybridCache with Redis as its second level when configured; counters shared through Redis likewise.</summary>
    private static void AddCache(IServiceCollection services, WhisperEngineSettings settings)
    {
        services.AddHybridCache();
        services.AddSingleton<InMemoryCounterStore>();
        if (settings.CacheProvider == "redis" && settings.RedisConfiguration is { } configuration)
        {
            // Cached rows and index messages name rows of one store: scoped to it, so deployments sharing a Redis (and its
            // key prefix) but not a store never see each other's.
            var scope = StoreScope.Of(settings);
            services.AddSingleton(sp => new RedisConnection(new RedisOptions { Configuration = configuration, KeyPrefix = settings.RedisKeyPrefix },
                sp.GetRequiredService<ILogger<RedisConnection>>()));
            services.AddSingleton<IDistributedCache>(sp =>
            {
                var connection = sp.GetRequiredService<RedisConnection>();
                var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
                {
                    InstanceName = settings.RedisKeyPrefix + "cache:" + scope + ":",
                    ConnectionMultiplexerFactory = () => Task.FromResult(connection.Multiplexer),
                }));
                return new ResilientDistributedCache(redisCache, connection);
            });
            services.AddSingleton<ICounterStore>(sp => new RedisCounterStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<InMemoryCounterStore>()));
            services.AddSingleton<IErasureFinisher>(sp => new RedisErasureFinisher(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton<IPeerSignals>(sp => new RedisPeerSignals(sp.GetRequiredService<RedisConnection>(), scope));
        }
        else
        {
            services.AddSingleton<ICounterStore>(sp => sp.GetRequiredService<InMemoryCounterStore>());
            services.AddSingleton<IPeerSignals>(NoPeerSignals.Instance);
        }
    }
}
