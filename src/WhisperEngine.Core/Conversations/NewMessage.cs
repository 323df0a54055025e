namespace WhisperEngine.Core.Conversations;

/// <summary>A message to append to a conversation.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Content">The text.</param>
/// <param name="TokenCount">Tokens of the text.</param>
/// <param name="Flags">Notable facts about the message.</param>
/// <param name="Model">The model that wrote an assistant message.</param>
public sealed record NewMessage(MessageRole Role, string Content, int TokenCount, MessageFlags Flags = MessageFlags.None, string? Model = null)
{
    /// <summary>
    /// The fencing token of the turn lease under which the message is written (<see cref="Dispatch.IFencedLease"/>), or
    /// null when the lease has none. The store refuses the write with <see cref="Storage.StaleFencingTokenException"/>
    /// when a newer token has already written to the conversation: the lease expired and another process took over.
    /// </summary>
    public long? FencingToken { get; init; }
}
