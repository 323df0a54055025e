using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

/// <summary>Settings of one gateway shard (<see cref="DiscordGatewayClient"/>).</summary>
public sealed class DiscordGatewayOptions
{
    /// <summary>The bot token (without the <c>Bot </c> prefix). A secret: never logged, never in an exception message.</summary>
    public required string Token { get; init; }

    /// <summary>
    /// Where the gateway URL and session start limit come from before each new session; in production
    /// <see cref="Rest.DiscordRestClient.GetGatewayBotAsync"/> (<c>GET /gateway/bot</c>).
    /// </summary>
    public required Func<CancellationToken, Task<GatewayBotInfo>> GatewayInfoProvider { get; init; }

    public DiscordIntents Intents { get; init; } = DiscordIntents.Default;

    /// <summary>This shard's id, below <see cref="ShardCount"/>.</summary>
    public int ShardId { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>The setting that holds <see cref="Token"/>, named in errors that ask the operator to fix it.</summary>
    public string TokenSettingName { get; init; } = "DISCORD_BOT_TOKEN";

    /// <summary>Shared by the shards of one bot so their identifies respect <c>max_concurrency</c>; one per client when null.</summary>
    public IdentifyQueue? IdentifyQueue { get; init; }

    /// <summary>Longest wait for the WebSocket to open.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for Hello, and then for READY or RESUMED.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the server's answer to our close frame.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First delay after a failed connection; doubles per failure, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Lower bound of the random wait before identifying after an Invalid Session (Discord: 1 to 5 seconds).</summary>
    public TimeSpan InvalidSessionMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Members above which a guild is sent without offline members (50 to 250).</summary>
    public int LargeThreshold { get; init; } = 50;

    /// <summary>The clock of heartbeats, timeouts and backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
