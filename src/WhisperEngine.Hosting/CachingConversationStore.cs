using Microsoft.Extensions.Caching.Hybrid;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Hosting;

/// <summary>
/// Caches the conversation lookup of every turn in <see cref="HybridCache"/> (in process, and in Redis where
/// configured, so that other processes skip the lookup too). Messages are never cached: the store is the truth.
/// </summary>
/// <remarks>
/// A cached conversation may have been erased since (a person forgotten by another process): the store then starts it
/// again under a new id, which the stored message carries, and the stale entry is dropped here.
/// </remarks>
public sealed class CachingConversationStore(IConversationStore inner, HybridCache cache) : IConversationStore
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>The cache key of a conversation's lookup.</summary>
    public static string CacheKey(ConversationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return $"conv:{key.TenantId}:{key.BotId}:{key.UserId}:{key.ChannelId}";
    }

    public ValueTask<Conversation> GetOrCreateConversationAsync(ConversationKey key, PrivacyLevel privacy, CancellationToken cancellationToken = default) =>
        cache.GetOrCreateAsync(CacheKey(key), (inner, key, privacy),
            static (state, ct) => state.inner.GetOrCreateConversationAsync(state.key, state.privacy, ct), Entry, cancellationToken: cancellationToken);

    public async ValueTask<StoredMessage> AppendMessageAsync(Conversation conversation, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var stored = await inner.AppendMessageAsync(conversation, message, cancellationToken);
        if (stored.ConversationId != conversation.Id)
        {
            await cache.RemoveAsync(CacheKey(conversation.Key), CancellationToken.None);
        }

        return stored;
    }

    public async ValueTask<AppendedMessage> AppendMessageAndReadRecentAsync(Conversation conversation, NewMessage message, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var appended = await inner.AppendMessageAndReadRecentAsync(conversation, message, limit, cancellationToken);
        if (appended.Message.ConversationId != conversation.Id)
        {
            await cache.RemoveAsync(CacheKey(conversation.Key), CancellationToken.None);
        }

        return appended;
    }

    public ValueTask<IReadOnlyList<StoredMessage>> GetRecentMessagesAsync(Conversation conversation, int limit, CancellationToken cancellationToken = default) =>
        inner.GetRecentMessagesAsync(conversation, limit, cancellationToken);

    public ValueTask<int> ForgetConversationAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        inner.ForgetConversationAsync(key, cancellationToken);

    public ValueTask<long> CountMessagesAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        inner.CountMessagesAsync(key, cancellationToken);

    public ValueTask<bool> MessageExistsAsync(ConversationKey key, long messageId, CancellationToken cancellationToken = default) =>
        inner.MessageExistsAsync(key, messageId, cancellationToken);
}
