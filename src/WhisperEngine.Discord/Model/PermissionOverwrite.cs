namespace WhisperEngine.Discord.Model;

/// <summary>A channel's permission change for a role (<see cref="Type"/> 0; the @everyone role has the guild's id) or a member (1).</summary>
public sealed record PermissionOverwrite
{
    public string Id { get; init; } = "";

    public int Type { get; init; }

    /// <summary>Permission bits allowed, as a decimal string.</summary>
    public string Allow { get; init; } = "0";

    /// <summary>Permission bits denied, as a decimal string.</summary>
    public string Deny { get; init; } = "0";
}
