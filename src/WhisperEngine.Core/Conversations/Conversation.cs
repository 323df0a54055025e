namespace WhisperEngine.Core.Conversations;

/// <summary>A stored conversation.</summary>
/// <param name="Id">Store-assigned identifier.</param>
/// <param name="Key">The partition key of the conversation.</param>
/// <param name="Privacy">The privacy level of the place where it happens.</param>
/// <param name="CreatedAt">When the first message arrived.</param>
public sealed record Conversation(long Id, ConversationKey Key, PrivacyLevel Privacy, DateTimeOffset CreatedAt);
