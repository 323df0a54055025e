namespace WhisperEngine.Hosting.Configuration;

/// <summary>The <c>discord.*</c> settings, shared by every Discord bot of the process.</summary>
/// <param name="Token">The token of the single bot (<c>DISCORD_BOT_TOKEN</c>); a secret: never shown or logged.</param>
/// <param name="ApiBaseUrl">The REST base URL (<c>DISCORD_API_BASE_URL</c>).</param>
/// <param name="ShardId">The one shard to run, or null for every shard.</param>
/// <param name="ShardCount">The total shard count, or null for Discord's recommendation.</param>
/// <param name="CommandPrefix">Prefix of user and admin commands.</param>
/// <param name="AdminUserIds">Discord user ids allowed to run admin commands.</param>
/// <param name="AllowBots">Whether other bots are answered.</param>
/// <param name="MaxBotExchanges">Replies to bots in a row in one channel before the loop guard waits for a human.</param>
public sealed record DiscordSettings(
    string? Token,
    Uri ApiBaseUrl,
    int? ShardId,
    int? ShardCount,
    string CommandPrefix,
    IReadOnlyList<string> AdminUserIds,
    bool AllowBots,
    int MaxBotExchanges);
