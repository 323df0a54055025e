using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;

namespace WhisperEngine.Redis;

/// <summary>
/// Turn ordering across processes: the local dispatcher orders turns inside this process, then a Redis lock per
/// conversation (SET NX with a TTL, renewed while the turn runs) makes processes take turns. Each lease carries a
/// fencing token from a per-conversation counter, so a holder whose lock expired can tell it was overtaken. While
/// Redis is unreachable the lock is skipped with a warning (ordering is then per process) and used again when it returns.
/// </summary>
public sealed partial class RedisTurnDispatcher(ITurnDispatcher local, RedisConnection redis, ILogger<RedisTurnDispatcher> logger) : ITurnDispatcher
{
    // Takes the lock with a new fencing token in one round trip; 0 when another holder has it. The token never
    // falls below the Redis server's clock in microseconds, so that it keeps growing when Redis restarts without
    // its data: stores keep the highest token seen and would otherwise refuse every write after such a restart.
    private const string AcquireScript = """
        if redis.call('exists', KEYS[1]) == 1 then return 0 end
        local now = redis.call('time')
        local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
        local fence = redis.call('incr', KEYS[2])
        if fence < floor then
            fence = floor
            redis.call('set', KEYS[2], fence)
        end
        redis.call('set', KEYS[1], fence, 'PX', ARGV[1])
        return fence
        """;

    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    public async ValueTask<IAsyncDisposable> AcquireAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        var localLease = await local.AcquireAsync(key, cancellationToken);
        try
        {
            var distributed = await TryLockAsync(key, cancellationToken);
            return new Lease(localLease, distributed);
        }
        catch
        {
            await localLease.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<IAsyncDisposable> AcquireAllAsync(IReadOnlyCollection<ConversationKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var localLease = await local.AcquireAllAsync(keys, cancellationToken);
        var locks = new List<RedisLock>();
        try
        {
            // One order for every process, so two holders of several conversations never wait on each other.
            foreach (var key in keys.Distinct().OrderBy(k => k.ToString(), StringComparer.Ordinal))
            {
                if (await TryLockAsync(key, cancellationToken) is { } distributed)
                {
                    locks.Add(distributed);
                }
            }

            return new MultiLease(localLease, locks);
        }
        catch
        {
            await new MultiLease(localLease, locks).DisposeAsync();
            throw;
        }
    }

    private async Task<RedisLock?> TryLockAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        if (!redis.IsAvailable)
        {
            return null;
        }

        // The conversation in braces is a hash tag: both keys of the acquire script live in one cluster slot.
        var lockKey = (RedisKey)$"{redis.Options.KeyPrefix}lock:{{{key}}}";
        var ttl = redis.Options.LockTtl;
        try
        {
            var db = redis.Database;
            RedisKey[] keys = [lockKey, $"{redis.Options.KeyPrefix}fence:{{{key}}}"];
            RedisValue[] arguments = [(long)ttl.TotalMilliseconds];
            var delay = TimeSpan.FromMilliseconds(5);
            while (true)
            {
                var fence = (long)await db.ScriptEvaluateAsync(AcquireScript, keys, arguments);
                if (fence > 0)
                {
                    return new RedisLock(redis, lockKey, fence, ttl, logger);
                }

                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
            }
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            redis.Degraded(ex.Message);
            return null;
        }
    }

    /// <summary>A held conversation lock; renews itself until released.</summary>
    internal sealed class RedisLock : IAsyncDisposable
    {
        private readonly RedisConnection _redis;
        private readonly RedisKey _key;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;
        private readonly ILogger _logger;

        public RedisLock(RedisConnection redis, RedisKey key, long fence, TimeSpan ttl, ILogger logger)
        {
            _redis = redis;
            _key = key;
            _logger = logger;
            FencingToken = fence;
            _renewal = RenewAsync(ttl);
        }

        /// <summary>Increases with every acquisition of this conversation's lock, across processes.</summary>
        public long FencingToken { get; }

        private async Task RenewAsync(TimeSpan ttl)
        {
            try
            {
                while (true)
                {
                    // Released: ends without an exception (one per turn otherwise, and each exception's message is
                    // looked up under a process-wide lock).
                    await Task.Delay(ttl / 3, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }

                    var renewed = (long)await _redis.Database.ScriptEvaluateAsync(RenewScript, [_key], [FencingToken, (long)ttl.TotalMilliseconds]);
                    if (renewed == 0)
                    {
                        Log.LockLost(_logger, _key.ToString(), FencingToken);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                _redis.Degraded(ex.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
            try
            {
                // Not waited for: the release goes out on the connection before any later acquire of this process (one
                // connection keeps its order), another process retries until it lands, and a lost one expires with the TTL.
                await _redis.Database.ScriptEvaluateAsync(ReleaseScript, [_key], [FencingToken], CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                // The TTL frees it.
                _redis.Degraded(ex.Message);
            }
        }
    }

    private sealed class Lease(IAsyncDisposable local, RedisLock? distributed) : IAsyncDisposable, IFencedLease
    {
        public long? FencingToken => distributed?.FencingToken;

        public async ValueTask DisposeAsync()
        {
            if (distributed is not null)
            {
                await distributed.DisposeAsync();
            }

            await local.DisposeAsync();
        }
    }

    private sealed class MultiLease(IAsyncDisposable local, IReadOnlyList<RedisLock> distributed) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var held in distributed)
            {
                await held.DisposeAsync();
            }

            await local.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8003, LogLevel.Warning, "Lock {Key} (fencing token {Token}) expired while its turn ran; another process may have overtaken it")]
        public static partial void LockLost(ILogger logger, string key, long token);
    }
}
