namespace WhisperEngine.Core.Conversations;

/// <summary>A message as the store holds it.</summary>
/// <param name="Id">Store-assigned identifier, increasing in arrival order.</param>
/// <param name="ConversationId">The conversation it belongs to.</param>
/// <param name="Role">Who said it.</param>
/// <param name="Content">The text, after input cleaning.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="TokenCount">Tokens of <paramref name="Content"/>, counted once at write time.</param>
/// <param name="Flags">Notable facts about the message.</param>
/// <param name="Model">The model that wrote an assistant message; null for user messages.</param>
public sealed record StoredMessage(
    long Id,
    long ConversationId,
    MessageRole Role,
    string Content,
    DateTimeOffset CreatedAt,
    int TokenCount,
    MessageFlags Flags,
    string? Model);
