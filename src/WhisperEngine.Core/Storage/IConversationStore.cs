using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Storage;

/// <summary>
/// Durable conversation history. Implementations: SQLite (desktop tier), PostgreSQL (multi-bot and above).
/// </summary>
/// <remarks>
/// Implementations are thread-safe. A completed <see cref="AppendMessageAsync"/> is durable: the message
/// survives a process kill. Every query is scoped by <see cref="ConversationKey"/>, so callers cannot read
/// across users by construction.
/// </remarks>
public interface IConversationStore
{
    /// <summary>Returns the conversation for <paramref name="key"/>, creating it when it does not exist.</summary>
    ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default);

    /// <summary>Appends a message and returns it as stored. The message is durable when the task completes.</summary>
    ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a message, then returns it with up to <paramref name="limit"/> of the conversation's newest messages
    /// (it included), oldest first: a turn's first two store calls as one, a single round trip where the store is a
    /// server. When it throws, <see cref="StorageException.MessageStored"/> says whether the message was stored.
    /// </summary>
    ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit, CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> of the newest messages of a conversation, oldest first.</summary>
    ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every message of the conversation with <paramref name="key"/> and returns how many were deleted.</summary>
    ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default);

    /// <summary>Counts the messages of the conversation with <paramref name="key"/>.</summary>
    ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when message <paramref name="messageId"/> is still stored in the conversation with <paramref name="key"/>:
    /// background work derived from a message checks it under the conversation's lease, so that it never writes for a
    /// person erased meanwhile (message ids are never reused).
    /// </summary>
    ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default);
}
