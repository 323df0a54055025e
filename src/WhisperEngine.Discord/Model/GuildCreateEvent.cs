namespace WhisperEngine.Discord.Model;

/// <summary>The <c>GUILD_CREATE</c> dispatch, reduced to what we use.</summary>
public sealed record GuildCreateEvent
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public bool? Unavailable { get; init; }

    public int? MemberCount { get; init; }

    /// <summary>The guild's channels (without <c>guild_id</c>: it is this guild).</summary>
    public IReadOnlyList<DiscordChannel> Channels { get; init; } = [];

    /// <summary>The active threads the bot can see.</summary>
    public IReadOnlyList<DiscordChannel> Threads { get; init; } = [];

    /// <summary>The roles; the one with the guild's id is @everyone.</summary>
    public IReadOnlyList<DiscordRole> Roles { get; init; } = [];
}
