using Microsoft.Extensions.Caching.Distributed;

namespace WhisperEngine.Redis;

/// <summary>
/// The Redis second level of HybridCache, made safe to lose: while Redis is unreachable every read is a miss and
/// every write is skipped at once (no timeout per call), so the first level keeps serving; when Redis returns it is
/// used again.
/// </summary>
public sealed class ResilientDistributedCache(IDistributedCache inner, RedisConnection connection) : IDistributedCache
{
    public byte[]? Get(string key) => Guard(() => inner.Get(key), null);

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) => await GuardAsync(() => inner.GetAsync(key, token), null);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => inner.Set(key, value, options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(() => inner.SetAsync(key, value, options, token));

    public void Refresh(string key) => Guard(() => inner.Refresh(key));

    public Task RefreshAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.RefreshAsync(key, token));

    public void Remove(string key) => Guard(() => inner.Remove(key));

    public Task RemoveAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.RemoveAsync(key, token));

    private T Guard<T>(Func<T> action, T fallback)
    {
        if (!connection.IsAvailable)
        {
            return fallback;
        }

        try
        {
            return action();
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            connection.Degraded(ex.Message);
            return fallback;
        }
    }

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    }, 0);

    private async Task<T> GuardAsync<T>(Func<Task<T>> action, T fallback)
    {
        if (!connection.IsAvailable)
        {
            return fallback;
        }

        try
        {
            return await action();
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            connection.Degraded(ex.Message);
            return fallback;
        }
    }

    private Task GuardAsync(Func<Task> action) => GuardAsync(async () =>
    {
        await action();
        return 0;
    }, 0);
}
