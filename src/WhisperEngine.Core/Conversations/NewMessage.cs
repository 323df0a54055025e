namespace WhisperEngine.Core.Conversations;

/// <summary>A message to append to a conversation.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Content">The text.</param>
/// <param name="TokenCount">Tokens of the text.</param>
/// <param name="Flags">Notable facts about the message.</param>
/// <param name="Model">The model that wrote an assistant message.</param>
public sealed record NewMessage(MessageRole Role, string Content, int TokenCount, MessageFlags Flags = MessageFlags.None, string? Model = null);
