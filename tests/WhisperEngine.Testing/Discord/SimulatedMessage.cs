namespace WhisperEngine.Testing.Discord;

/// <summary>A message a test injects as <c>MESSAGE_CREATE</c> (<see cref="DiscordSimulator.SendMessageAsync(SimulatedMessage)"/>).</summary>
public sealed record SimulatedMessage
{
    public required string ChannelId { get; init; }

    public required string AuthorId { get; init; }

    /// <summary>The text as sent, mentions included (<c>&lt;@id&gt;</c>).</summary>
    public required string Content { get; init; }

    /// <summary>The guild; null for a direct message.</summary>
    public string? GuildId { get; init; }

    /// <summary>The message id; a new snowflake when null. Set it to show one message to several simulators.</summary>
    public string? Id { get; init; }

    public string? AuthorName { get; init; }

    public bool AuthorIsBot { get; init; }

    /// <summary>Users in <c>mentions</c>: id and username.</summary>
    public IReadOnlyList<(string Id, string Username)> Mentions { get; init; } = [];

    /// <summary>The message replied to (<c>message_reference</c> and <c>referenced_message</c>), by id and author id.</summary>
    public (string MessageId, string AuthorId)? ReplyTo { get; init; }
}
