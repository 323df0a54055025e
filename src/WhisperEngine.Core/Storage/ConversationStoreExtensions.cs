using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Storage;

/// <summary>Store operations made of the <see cref="IConversationStore"/> primitives.</summary>
public static class ConversationStoreExtensions
{
    /// <summary>
    /// <see cref="IConversationStore.AppendMessageAndReadRecentAsync"/> as two calls: the append, then the read of the
    /// conversation the message was stored under. A read failing after the append says the message is stored
    /// (<see cref="StorageException.MessageStored"/>). For a store with no round trip to save, and for the cases a
    /// store's single call cannot settle.
    /// </summary>
    public static async ValueTask<AppendedMessage> AppendThenReadRecentAsync(this IConversationStore store, Conversation conversation,
        NewMessage message, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(conversation);
        var stored = await store.AppendMessageAsync(conversation, message, cancellationToken);
        try
        {
            return new AppendedMessage(stored, await store.GetRecentMessagesAsync(conversation with { Id = stored.ConversationId }, limit, cancellationToken));
        }
        catch (StorageException ex)
        {
            throw new StorageException(ex.Message, ex.IsTransient, ex) { MessageStored = true };
        }
    }
}
