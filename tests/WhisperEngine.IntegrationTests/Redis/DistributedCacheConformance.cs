using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace WhisperEngine.IntegrationTests.Redis;

/// <summary>What the second-level cache must do, in process and in Redis alike.</summary>
public abstract class DistributedCacheConformance : IDisposable
{
    protected abstract IDistributedCache Cache { get; }

    public abstract void Dispose();

    private static string Key() => "k-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task SetThenGet_ReturnsTheBytes()
    {
        var key = Key();
        await Cache.SetAsync(key, Encoding.UTF8.GetBytes("value 🐙"), new DistributedCacheEntryOptions());

        Assert.Equal("value 🐙", Encoding.UTF8.GetString((await Cache.GetAsync(key))!));
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull() => Assert.Null(await Cache.GetAsync(Key()));

    [Fact]
    public async Task Remove_ThenGet_ReturnsNull()
    {
        var key = Key();
        await Cache.SetAsync(key, [1, 2, 3], new DistributedCacheEntryOptions());
        await Cache.RemoveAsync(key);

        Assert.Null(await Cache.GetAsync(key));
    }

    [Fact]
    public async Task AbsoluteExpiration_Passed_EntryGone()
    {
        var key = Key();
        await Cache.SetAsync(key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2) });
        Assert.NotNull(await Cache.GetAsync(key));

        await Task.Delay(3_000);

        Assert.Null(await Cache.GetAsync(key));
    }

    [Fact]
    public async Task Set_Overwrite_ReturnsNewValue()
    {
        var key = Key();
        await Cache.SetAsync(key, [1], new DistributedCacheEntryOptions());
        await Cache.SetAsync(key, [2], new DistributedCacheEntryOptions());

        Assert.Equal([2], await Cache.GetAsync(key));
    }
}
