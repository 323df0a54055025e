using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>How far fact extraction has read a conversation: every message up to and including <paramref name="UpToMessageId"/>.</summary>
public sealed record ExtractionMark(ConversationKey Conversation, long UpToMessageId);
