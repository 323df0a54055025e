namespace WhisperEngine.Discord.Model;

/// <summary>The <c>GUILD_ROLE_CREATE</c> and <c>GUILD_ROLE_UPDATE</c> dispatches.</summary>
public sealed record GuildRoleEvent
{
    public string GuildId { get; init; } = "";

    public DiscordRole Role { get; init; } = new();
}
