using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WhisperEngine.AI.Chat;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Models;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Hosting;

/// <summary>DI wiring of the engine for one process, from a validated configuration.</summary>
public static class WhisperEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine: characters, the store of the configured tier, the chat-client pipeline, the router,
    /// the dispatcher sized by the resource plan, and the turn pipeline.
    /// </summary>
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
        switch (settings.StorageProvider)
        {
            case "sqlite":
                Directory.CreateDirectory(settings.Home);
                services.AddSqliteStores(new SqliteStoreOptions { Path = settings.SqlitePath, Synchronous = settings.SqliteSynchronous });
                services.AddSqliteMemoryStore();
                break;
            default:
                throw new ConfigurationException([new ValidationProblem("storage.provider", 0, 0, "storage.provider",
                    $"'{settings.StorageProvider}' is not available in this build yet; use sqlite (tier {settings.Tier} needs the PostgreSQL backend)")]);
        }

        services.AddSingleton<ITokenCounter>(_ => new TiktokenTokenCounter());
        services.AddLocalMemory();
        services.AddSingleton<IChatClient>(sp =>
        {
            if (settings.Chat.ApiUrl is null)
            {
                return new NotConfiguredChatClient();
            }

            return ChatPipeline.Build(new OpenAiModelChatClient(settings.Chat), settings.Chat, sp.GetRequiredService<IUsageLedger>(),
                sp.GetRequiredService<ITokenCounter>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IModelRouter>(_ => new ConfiguredModelRouter(settings.ChatModel, settings.FallbackModels));
        services.AddSingleton<ITurnDispatcher>(_ => new InProcessTurnDispatcher(settings.MaxConcurrentTurns, settings.QueueCapacity));
        services.AddSingleton(sp => new TurnPipeline(
            sp.GetRequiredService<ICharacterCatalog>(),
            sp.GetRequiredService<Core.Storage.IConversationStore>(),
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<IModelRouter>(),
            sp.GetRequiredService<ITokenCounter>(),
            sp.GetRequiredService<ITurnDispatcher>(),
            settings.Engine,
            sp.GetRequiredService<ILogger<TurnPipeline>>(),
            sp.GetRequiredService<TurnMetrics>()));
        return services;
    }
}
