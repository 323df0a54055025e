using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Chat;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>Typed, validated settings of one process.</summary>
public sealed class WhisperEngineSettings
{
    public required string Tier { get; init; }
    public required string Home { get; init; }
    public required ModelEndpointOptions Chat { get; init; }
    public required string? ChatModel { get; init; }
    public required IReadOnlyList<string> FallbackModels { get; init; }
    public required EngineOptions Engine { get; init; }

    /// <summary>The <c>memory.*</c> settings.</summary>
    public required MemorySettings Memory { get; init; }
    public required Core.Budgets.BudgetOptions Budgets { get; init; }
    public required Core.Models.RoutingOptions Routing { get; init; }
    public required string StorageProvider { get; init; }
    public required string SqlitePath { get; init; }

    /// <summary>The Npgsql connection string (a secret: it may hold the password); null when PostgreSQL is not configured.</summary>
    public required string? PostgresConnectionString { get; init; }
    public required string PostgresSchema { get; init; }
    public required string SqliteSynchronous { get; init; }
    /// <summary><c>memory</c> or <c>redis</c> (an <c>auto</c> setting is resolved).</summary>
    public required string CacheProvider { get; init; }

    /// <summary>StackExchange.Redis configuration (a secret: it may hold the password); null when Redis is not configured.</summary>
    public required string? RedisConfiguration { get; init; }
    public required string RedisKeyPrefix { get; init; }
    public required int CacheMemoryMb { get; init; }
    public required int MaxConcurrentTurns { get; init; }
    public required int QueueCapacity { get; init; }
    public required int BackgroundWorkers { get; init; }
    public required IReadOnlyList<string> Urls { get; init; }
    public required string? ServerApiKey { get; init; }
    public required long MaxRequestBytes { get; init; }

    /// <summary>Most warm-up turns serve runs before it is ready (<see cref="Core.Turns.WarmupTurns"/>); 0: none.</summary>
    public int WarmupTurns { get; init; }

    /// <summary>Character directories, lowest precedence first: shipped examples, extra paths, the home's <c>characters/</c>.</summary>
    public required IReadOnlyList<string> CharacterDirectories { get; init; }
    public required string DefaultCharacter { get; init; }

    /// <summary>Configured bots; empty means one bot per character (the desktop case).</summary>
    public required IReadOnlyList<BotSettings> Bots { get; init; }

    /// <summary>The <c>discord.*</c> settings.</summary>
    public required DiscordSettings Discord { get; init; }
    /// <summary>The <c>memory.facts.*</c> settings, the model resolved.</summary>
    public required Memory.Facts.FactOptions Facts { get; init; }

    /// <summary>The <c>memory.consolidation.*</c> settings, the model resolved.</summary>
    public required Memory.Consolidation.ConsolidationOptions Consolidation { get; init; }
    public required IReadOnlyDictionary<string, bool> Features { get; init; }

    /// <summary>The <c>ai.embeddings.*</c> settings: where memory's vectors come from.</summary>
    public required EmbeddingSettings Embeddings { get; init; }

    /// <summary>The <c>memory.clustering.*</c> settings.</summary>
    public required Memory.Clustering.ClusteringOptions Clustering { get; init; }
    public required bool Metrics { get; init; }
    public required bool Health { get; init; }
    public required bool Tracing { get; init; }
    public required LogLevel LogLevel { get; init; }
    public required bool JsonLogs { get; init; }

    /// <summary>
    /// The bots to connect to Discord: every configured bot with a <c>discord_token</c>; with no bots configured, the
    /// default character with <c>discord.token</c>; with exactly one bot configured and no token of its own, that bot
    /// with <c>discord.token</c>.
    /// </summary>
    public IReadOnlyList<DiscordBotCredentials> DiscordBots()
    {
        if (Bots.Count == 0)
        {
            return Discord.Token is { } token
                ? [new DiscordBotCredentials(new Core.Bots.BotDefinition { Id = DefaultCharacter, CharacterId = DefaultCharacter }, token, "DISCORD_BOT_TOKEN")]
                : [];
        }

        if (Bots.Count == 1 && Bots[0].DiscordToken is null && Discord.Token is { } single)
        {
            return [new DiscordBotCredentials(Bots[0].Definition, single, "DISCORD_BOT_TOKEN")];
        }

        return [.. Bots.Select((b, i) => (b, i)).Where(x => x.b.DiscordToken is not null)
            .Select(x => new DiscordBotCredentials(x.b.Definition, x.b.DiscordToken!, $"bots.{x.i}.discord_token"))];
    }

    /// <summary>Settings a chat needs, with the exact variable to set for each one missing; empty when ready.</summary>
    public IReadOnlyList<string> MissingForChat()
    {
        var missing = new List<string>();
        if (Chat.ApiUrl is null)
        {
            missing.Add("LLM_CHAT_API_URL   the OpenAI-compatible endpoint, e.g. https://openrouter.ai/api/v1 or http://localhost:11434/v1 (Ollama)");
        }

        if (ChatModel is null)
        {
            missing.Add("LLM_CHAT_MODEL     the model id, e.g. openai/gpt-4o-mini (OpenRouter) or llama3.2 (Ollama)");
        }

        return missing;
    }
}
