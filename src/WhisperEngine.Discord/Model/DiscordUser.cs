using System.Text.Json.Serialization;

namespace WhisperEngine.Discord.Model;

/// <summary>A Discord user or bot account, as the API sends it.</summary>
public sealed record DiscordUser
{
    /// <summary>The snowflake id.</summary>
    public string Id { get; init; } = "";

    public string Username { get; init; } = "";

    /// <summary>The display name, when the user set one.</summary>
    public string? GlobalName { get; init; }

    /// <summary>True for bot accounts (including this one).</summary>
    public bool? Bot { get; init; }

    /// <summary>True for Discord's own system user.</summary>
    [JsonPropertyName("system")]
    public bool? SystemUser { get; init; }

    /// <summary>Whether this user is a bot (or Discord itself); absent means no.</summary>
    public bool IsBot => Bot == true || SystemUser == true;
}
