using StackExchange.Redis;
using WhisperEngine.Core.Privacy;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Redis;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// Exporting and erasing a person on SQLite with Redis for caches and turn ordering (the shared test server, a key
/// prefix of this test's own): erasures hold conversations across processes and writes carry fencing tokens.
/// </summary>
public sealed class SqliteRedisUserDataTests : UserDataConformance
{
    protected override Dictionary<string, string> Settings() => new()
    {
        ["cache.provider"] = "redis",
        ["redis.connection_string"] = TestServers.Redis,
        ["redis.key_prefix"] = _prefix,
    };

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..10] + ":";

    [Fact]
    public async Task Erase_WithRedis_LeavesNoKeyNamingThePerson()
    {
        await SayAsync(Key("ann"), "hello");
        await SayAsync(Key("ann", channel: "4001"), "hello again");
        await SayAsync(Key("bob"), "hi");
        var redis = Engine.Get<RedisConnection>();
        var server = redis.Multiplexer.GetServers()[0];
        Assert.Contains(server.Keys(pattern: _prefix + "*").Select(k => k.ToString()), k => k.Contains("/ann/", StringComparison.Ordinal));

        await UserData.EraseAsync(new UserDataScope("default", "ann"));

        var keys = server.Keys(pattern: _prefix + "*").Select(k => k.ToString()).ToList();
        Assert.DoesNotContain(keys, k => k.Contains("ann", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains("/bob/", StringComparison.Ordinal));
        var reply = await SayAsync(Key("ann"), "back again");
        Assert.Equal("You said: back again", reply.Reply);
        Assert.Equal(["system", "user"], Model.Requests[^1].Messages.Select(m => m.Role));
    }
}
