using Microsoft.Extensions.Caching.Hybrid;
using WhisperEngine.Core.Privacy;

namespace WhisperEngine.Hosting;

/// <summary>Drops the cached lookups of an erased person's conversations (in process and in Redis).</summary>
public sealed class ConversationCacheEviction(HybridCache cache) : IErasureFinisher
{
    public async ValueTask<string?> FinishAsync(ErasedUser erased, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erased);
        if (erased.Conversations.Count == 0)
        {
            return null;
        }

        await cache.RemoveAsync(erased.Conversations.Select(CachingConversationStore.CacheKey), cancellationToken);
        return null;
    }
}
