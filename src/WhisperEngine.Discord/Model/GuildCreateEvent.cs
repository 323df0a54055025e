namespace WhisperEngine.Discord.Model;

/// <summary>The <c>GUILD_CREATE</c> dispatch, reduced to what we use.</summary>
public sealed record GuildCreateEvent
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public bool? Unavailable { get; init; }

    public int? MemberCount { get; init; }
}
