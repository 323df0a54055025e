namespace WhisperEngine.Discord.Model;

/// <summary>What a message replies to (or forwards).</summary>
public sealed record MessageReference
{
    public string? MessageId { get; init; }

    public string? ChannelId { get; init; }

    public string? GuildId { get; init; }

    /// <summary>On create: false lets the reply go out even when the original was deleted meanwhile.</summary>
    public bool? FailIfNotExists { get; init; }
}
