namespace WhisperEngine.Core.Storage;

/// <summary>
/// A write was refused because it carried an older fencing token than one already used on the conversation:
/// this turn's lease expired and another process took the conversation over. Nothing of the write was stored.
/// </summary>
public sealed class StaleFencingTokenException : Exception
{
    public StaleFencingTokenException(long conversationId, long token)
        : base($"Conversation {conversationId} was taken over by another process (this turn's fencing token {token} is stale); the write was refused.")
    {
        ConversationId = conversationId;
        Token = token;
    }

    public StaleFencingTokenException()
    {
    }

    public StaleFencingTokenException(string message)
        : base(message)
    {
    }

    public StaleFencingTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long ConversationId { get; }

    public long Token { get; }
}
