namespace WhisperEngine.Redis;

/// <summary>Settings of the Redis connection (config section <c>redis</c>).</summary>
public sealed class RedisOptions
{
    /// <summary>StackExchange.Redis configuration string, e.g. <c>redis:6379,password=...</c>; a secret when it holds a password.</summary>
    public required string Configuration { get; init; }

    /// <summary>Prefix of every key, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; init; } = "we:";

    /// <summary>How long a conversation lock lives without renewal (a crashed holder frees it after this).</summary>
    public TimeSpan LockTtl { get; init; } = TimeSpan.FromSeconds(30);
}
