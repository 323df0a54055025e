namespace WhisperEngine.Testing.Discord;

/// <summary>A message the bot created through REST.</summary>
/// <param name="Id">The id the simulator gave it.</param>
/// <param name="ChannelId">Where it went.</param>
/// <param name="Content">Its text.</param>
/// <param name="ReplyToMessageId">The message it replies to (<c>message_reference.message_id</c>), if any.</param>
/// <param name="Nonce">The nonce the client sent.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record PostedMessage(string Id, string ChannelId, string Content, string? ReplyToMessageId, string? Nonce, DateTimeOffset CreatedAt);
