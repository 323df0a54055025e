using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>A dictionary-backed <see cref="IConversationStore"/>; the SQLite store has its own tests.</summary>
public sealed class InMemoryConversationStore : IConversationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ConversationKey, Conversation> _conversations = [];
    private readonly Dictionary<long, List<StoredMessage>> _messages = [];
    private long _lastConversationId;
    private long _lastMessageId;

    /// <summary>The messages of <paramref name="key"/>, oldest first; empty when the conversation does not exist.</summary>
    public IReadOnlyList<StoredMessage> MessagesOf(ConversationKey key)
    {
        lock (_gate)
        {
            return _conversations.TryGetValue(key, out var conversation) ? [.. _messages[conversation.Id]] : [];
        }
    }

    /// <summary>Every message of every conversation.</summary>
    public int TotalMessages
    {
        get
        {
            lock (_gate)
            {
                return _messages.Values.Sum(m => m.Count);
            }
        }
    }

    public ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_conversations.TryGetValue(key, out var conversation))
            {
                conversation = new Conversation(++_lastConversationId, key, privacy, DateTimeOffset.UtcNow);
                _conversations[key] = conversation;
                _messages[conversation.Id] = [];
            }

            return ValueTask.FromResult(conversation);
        }
    }

    public ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var stored = new StoredMessage(++_lastMessageId, conversation.Id, message.Role, message.Content, DateTimeOffset.UtcNow,
                message.TokenCount, message.Flags, message.Model);
            _messages[conversation.Id].Add(stored);
            return ValueTask.FromResult(stored);
        }
    }

    public ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit,
        CancellationToken cancellationToken = default) =>
        this.AppendThenReadRecentAsync(conversation, message, limit, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var messages = _messages[conversation.Id];
            IReadOnlyList<StoredMessage> recent = [.. messages.Skip(Math.Max(0, messages.Count - limit))];
            return ValueTask.FromResult(recent);
        }
    }

    public ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_conversations.TryGetValue(key, out var conversation))
            {
                return ValueTask.FromResult(0);
            }

            var count = _messages[conversation.Id].Count;
            _messages[conversation.Id].Clear();
            return ValueTask.FromResult(count);
        }
    }

    public ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult((long)MessagesOf(key).Count);

    public ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(MessagesOf(key).Any(m => m.Id == messageId));
}
