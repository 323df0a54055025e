namespace WhisperEngine.Discord.Model;

/// <summary>A guild listed in <c>READY</c>; its <c>GUILD_CREATE</c> follows.</summary>
public sealed record UnavailableGuild
{
    public string Id { get; init; } = "";

    public bool? Unavailable { get; init; }
}
