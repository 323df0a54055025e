using StackExchange.Redis;
using WhisperEngine.Core.Privacy;

namespace WhisperEngine.Redis;

/// <summary>
/// Deletes the per-conversation fencing counters of an erased person (their keys name the conversation, and so the
/// person); the lock keys go when their leases are released. Runs while the erasure still holds the conversations.
/// </summary>
public sealed class RedisErasureFinisher(RedisConnection redis) : IErasureFinisher
{
    public async ValueTask<string?> FinishAsync(ErasedUser erased, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erased);
        if (erased.Conversations.Count == 0 || !redis.IsAvailable)
        {
            return null;
        }

        try
        {
            // The key format of RedisTurnDispatcher: the conversation in braces (a cluster hash tag).
            var keys = erased.Conversations.Select(k => (RedisKey)$"{redis.Options.KeyPrefix}fence:{{{k}}}").ToArray();
            var deleted = await redis.Database.KeyDeleteAsync(keys);
            return $"Redis: {deleted} turn-ordering keys deleted";
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            redis.Degraded(ex.Message);
            return "Redis unreachable: its turn-ordering keys of these conversations stay until it returns (they hold no text)";
        }
    }
}
