using StackExchange.Redis;
using WhisperEngine.Core.Coordination;

namespace WhisperEngine.Redis;

/// <summary>Counters shared by every process through Redis; while Redis is unreachable, this process's own counters.</summary>
public sealed class RedisCounterStore(RedisConnection redis, ICounterStore fallback) : ICounterStore
{
    private const string AddScript = """
        local v = redis.call('INCRBY', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return v
        """;

    public async ValueTask<long> AddAsync(string key, long amount, TimeSpan window, CancellationToken cancellationToken = default)
    {
        if (redis.IsAvailable)
        {
            try
            {
                return (long)await redis.Database.ScriptEvaluateAsync(AddScript, [Key(key)], [amount, (long)window.TotalMilliseconds]);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                redis.Degraded(ex.Message);
            }
        }

        return await fallback.AddAsync(key, amount, window, cancellationToken);
    }

    public async ValueTask<long> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (redis.IsAvailable)
        {
            try
            {
                var value = await redis.Database.StringGetAsync(Key(key));
                return value.HasValue ? (long)value : 0;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                redis.Degraded(ex.Message);
            }
        }

        return await fallback.GetAsync(key, cancellationToken);
    }

    private RedisKey Key(string key) => $"{redis.Options.KeyPrefix}count:{key}";
}
