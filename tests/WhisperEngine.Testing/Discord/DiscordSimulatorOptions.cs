namespace WhisperEngine.Testing.Discord;

/// <summary>How a <see cref="DiscordSimulator"/> behaves: the bot it plays, its limits and timings.</summary>
public sealed class DiscordSimulatorOptions
{
    /// <summary>The token the simulator accepts (REST <c>Authorization: Bot …</c> and gateway Identify/Resume).</summary>
    public string Token { get; init; } = "simulated-bot-token";

    /// <summary>The <c>heartbeat_interval</c> of Hello. Small in tests.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string BotUserId { get; init; } = "100000000000000001";

    public string BotUsername { get; init; } = "simbot";

    public string ApplicationId { get; init; } = "100000000000000002";

    /// <summary>The guilds the bot is in; each gets a GUILD_CREATE on the shard that owns it.</summary>
    public IReadOnlyList<string> Guilds { get; init; } = ["200000000000000001"];

    /// <summary>The channels and threads of the guilds (with their privacy); other channel ids are unknown (404 on REST).</summary>
    public IReadOnlyList<SimulatedChannel> Channels { get; init; } = [];

    /// <summary>The permission bits of each guild's @everyone role (Discord's default includes VIEW_CHANNEL).</summary>
    public string EveryonePermissions { get; init; } = "104324673";

    /// <summary><c>shards</c> of GET /gateway/bot.</summary>
    public int RecommendedShards { get; init; } = 1;

    /// <summary>Identify with a smaller shard count is closed with 4011 (sharding required).</summary>
    public int RequiredShardCount { get; init; } = 1;

    /// <summary><c>session_start_limit.max_concurrency</c>.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary><c>session_start_limit.total</c>; each Identify uses one of <c>remaining</c>.</summary>
    public int SessionStartTotal { get; init; } = 1000;

    /// <summary>When false, an Identify asking for a privileged intent (message content, members, presences) is closed with 4014.</summary>
    public bool AllowPrivilegedIntents { get; init; } = true;

    /// <summary>Requests per reset window of the create-message bucket, per channel.</summary>
    public int MessageRouteLimit { get; init; } = 5;

    /// <summary>The reset window of the create-message and typing buckets.</summary>
    public TimeSpan RouteResetAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests per second before the simulator answers with a global 429.</summary>
    public int GlobalLimitPerSecond { get; init; } = 50;
}
