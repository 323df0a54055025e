namespace WhisperEngine.Discord.Model;

/// <summary>The <c>READY</c> dispatch: a new session exists.</summary>
public sealed record ReadyEvent
{
    /// <summary>The gateway version.</summary>
    public int V { get; init; }

    /// <summary>The bot's own user.</summary>
    public DiscordUser User { get; init; } = new();

    public IReadOnlyList<UnavailableGuild> Guilds { get; init; } = [];

    public string SessionId { get; init; } = "";

    /// <summary>Where to reconnect to resume this session.</summary>
    public string? ResumeGatewayUrl { get; init; }

    /// <summary>[shard id, shard count], when identified with a shard.</summary>
    public IReadOnlyList<int>? Shard { get; init; }

    public ApplicationInfo? Application { get; init; }
}
