using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>A store whose every operation fails as an unreachable database would.</summary>
public sealed class FailingConversationStore : IConversationStore
{
    public ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default) =>
        throw Fail();

    public ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default) =>
        throw Fail();

    public ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit,
        CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default) =>
        throw Fail();

    public ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default) => throw Fail();

    public ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default) => throw Fail();

    private static StorageException Fail() => new("database is locked", isTransient: true);
}
