using Microsoft.Extensions.Caching.Hybrid;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Hosting;

/// <summary>
/// Caches the conversation lookup of every turn in <see cref="HybridCache"/> (in process, and in Redis where
/// configured, so that other processes skip the lookup too). Messages are never cached: the store is the truth.
/// </summary>
public sealed class CachingConversationStore(IConversationStore inner, HybridCache cache) : IConversationStore
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromMinutes(10) };

    public ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateAsync($"conv:{key.TenantId}:{key.BotId}:{key.UserId}:{key.ChannelId}", (inner, key, privacy),
            static (state, ct) => state.inner.GetOrCreateConversationAsync(state.key, state.privacy, ct), Entry, cancellationToken: cancellationToken);

    public ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default) =>
        inner.AppendMessageAsync(conversation, message, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default) =>
        inner.GetRecentMessagesAsync(conversation, limit, cancellationToken);

    public ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        inner.ForgetConversationAsync(key, cancellationToken);

    public ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        inner.CountMessagesAsync(key, cancellationToken);
}
