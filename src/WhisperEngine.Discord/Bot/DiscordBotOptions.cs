using WhisperEngine.Core.Bots;
using WhisperEngine.Discord.Rest;

namespace WhisperEngine.Discord.Bot;

/// <summary>Settings of one <see cref="DiscordBotRunner"/>: which bot, its token, and how it behaves in Discord.</summary>
public sealed class DiscordBotOptions
{
    /// <summary>The bot (id, tenant, character) the conversations belong to.</summary>
    public required BotDefinition Bot { get; init; }

    /// <summary>The Discord bot token. A secret: never logged, never in an exception message.</summary>
    public required string Token { get; init; }

    /// <summary>The setting that holds <see cref="Token"/>, named in errors (<c>DISCORD_BOT_TOKEN</c>, <c>bots.0.discord_token</c>).</summary>
    public string TokenSettingName { get; init; } = "DISCORD_BOT_TOKEN";

    /// <summary>The REST base URL; the gateway URL comes from its <c>GET /gateway/bot</c>.</summary>
    public Uri ApiBaseUrl { get; init; } = new(DiscordRestOptions.DefaultBaseUrl);

    /// <summary>Run only this shard (of <see cref="ShardCount"/>); null runs every shard.</summary>
    public int? ShardId { get; init; }

    /// <summary>The total shard count; null takes the count Discord recommends.</summary>
    public int? ShardCount { get; init; }

    public DiscordIntents Intents { get; init; } = DiscordIntents.Default;

    /// <summary>Prefix of commands (<c>!forget</c>, <c>!memory</c>, <c>!status</c>, ...).</summary>
    public string CommandPrefix { get; init; } = "!";

    /// <summary>Discord user ids allowed to run admin commands.</summary>
    public IReadOnlySet<string> AdminUserIds { get; init; } = new HashSet<string>();

    /// <summary>Whether messages of other bots are answered (when addressed, and within <see cref="MaxBotExchanges"/>).</summary>
    public bool AllowBots { get; init; }

    /// <summary>Replies to bots in a row in one channel; then the bot waits until a human speaks there.</summary>
    public int MaxBotExchanges { get; init; } = 3;

    /// <summary>Channels whose turns run at once; turns of one channel always run one after another.</summary>
    public int MaxActiveChannels { get; init; } = 64;

    /// <summary>First delay after a failed connection (gateway) or an unreachable Discord at start; doubles per failure.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The identify window per <c>max_concurrency</c> bucket (Discord: 5 seconds).</summary>
    public TimeSpan IdentifyInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the typing indicator is renewed while the model works.</summary>
    public TimeSpan TypingInterval { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>First backoff after a REST 5xx or network failure.</summary>
    public TimeSpan RestRetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
