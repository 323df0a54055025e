namespace WhisperEngine.Discord.Model;

/// <summary>A guild role; the @everyone role's id is the guild's id.</summary>
public sealed record DiscordRole
{
    public string Id { get; init; } = "";

    /// <summary>Permission bits, as a decimal string.</summary>
    public string Permissions { get; init; } = "0";
}
