using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Redis;

namespace WhisperEngine.IntegrationTests.Redis;

public sealed class InProcessCacheConformanceTests : DistributedCacheConformance
{
    private readonly MemoryDistributedCache _cache = new(Options.Create(new MemoryDistributedCacheOptions()));

    protected override IDistributedCache Cache => _cache;

    public override void Dispose()
    {
    }
}

public sealed class RedisCacheConformanceTests : DistributedCacheConformance
{
    private readonly RedisConnection _connection;
    private readonly IDistributedCache _cache;

    public RedisCacheConformanceTests()
    {
        _connection = new RedisConnection(new RedisOptions { Configuration = TestServers.Redis, KeyPrefix = TestServers.NewSchema() + ":" },
            NullLogger<RedisConnection>.Instance);
        Assert.True(_connection.IsAvailable, $"Redis at {TestServers.Redis} is not reachable");
        _cache = new ResilientDistributedCache(new RedisCache(Options.Create(new RedisCacheOptions
        {
            InstanceName = _connection.Options.KeyPrefix,
            ConnectionMultiplexerFactory = () => Task.FromResult(_connection.Multiplexer),
        })), _connection);
    }

    protected override IDistributedCache Cache => _cache;

    public override void Dispose() => _connection.Dispose();
}
