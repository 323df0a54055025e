namespace WhisperEngine.Testing.Discord;

/// <summary>A guild channel or thread the simulator knows: listed in <c>GUILD_CREATE</c> and answered by <c>GET /channels/{id}</c>.</summary>
public sealed record SimulatedChannel
{
    public required string Id { get; init; }

    /// <summary>The guild; the first of <see cref="DiscordSimulatorOptions.Guilds"/> when null.</summary>
    public string? GuildId { get; init; }

    /// <summary>0 text; 11 public thread; 12 private thread; ...</summary>
    public int Type { get; init; }

    /// <summary>A thread's channel.</summary>
    public string? ParentId { get; init; }

    /// <summary>False gives the channel an @everyone overwrite that denies VIEW_CHANNEL (a private channel).</summary>
    public bool EveryoneCanView { get; init; } = true;

    /// <summary>False leaves it out of <c>GUILD_CREATE</c>: the bot can learn it only by REST.</summary>
    public bool ListedInGuildCreate { get; init; } = true;

    public bool IsThread => Type is 10 or 11 or 12;
}
