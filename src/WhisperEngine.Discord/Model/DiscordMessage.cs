namespace WhisperEngine.Discord.Model;

/// <summary>A message (the <c>MESSAGE_CREATE</c> payload and the answer to create message), with the fields we use.</summary>
public sealed record DiscordMessage
{
    public string Id { get; init; } = "";

    public string ChannelId { get; init; } = "";

    /// <summary>The guild, or <see langword="null"/> in a direct message.</summary>
    public string? GuildId { get; init; }

    public DiscordUser Author { get; init; } = new();

    /// <summary>The text; empty when the Message Content intent is missing and the bot was not mentioned.</summary>
    public string Content { get; init; } = "";

    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>0 is a plain message, 19 a reply; other types are system messages.</summary>
    public int Type { get; init; }

    public IReadOnlyList<DiscordUser> Mentions { get; init; } = [];

    public bool MentionEveryone { get; init; }

    /// <summary>Set when the message was sent by a webhook.</summary>
    public string? WebhookId { get; init; }

    public MessageReference? MessageReference { get; init; }

    /// <summary>The message replied to, when Discord included it.</summary>
    public DiscordMessage? ReferencedMessage { get; init; }

    /// <summary>True when sent in a direct message.</summary>
    public bool IsDirect => GuildId is null;

    /// <summary>Whether <paramref name="userId"/> is among the mentioned users.</summary>
    public bool MentionsUser(string userId) => Mentions.Any(u => u.Id == userId);
}
