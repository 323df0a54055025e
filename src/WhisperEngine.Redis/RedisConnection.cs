using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace WhisperEngine.Redis;

/// <summary>
/// The process's one multiplexer. It never gives up: while Redis is unreachable <see cref="IsAvailable"/> is false,
/// callers fall back to in-process behaviour, and the multiplexer keeps reconnecting in the background.
/// </summary>
/// <remarks>Thread-safe; a singleton.</remarks>
public sealed partial class RedisConnection : IDisposable
{
    private readonly ILogger _logger;
    private int _degraded;

    public RedisConnection(RedisOptions options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        Options = options;
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2_000;
        configuration.SyncTimeout = 2_000;
        configuration.AsyncTimeout = 2_000;
        configuration.ConnectRetry = 1;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName = "whisperengine";
        Describe = string.Join(",", configuration.EndPoints.Select(e => e.ToString()));
        Multiplexer = ConnectionMultiplexer.Connect(configuration);
        Multiplexer.ConnectionFailed += (_, e) => Degraded(e.Exception?.Message ?? e.FailureType.ToString());
        Multiplexer.ConnectionRestored += (_, _) => Restored();
        if (!Multiplexer.IsConnected)
        {
            Degraded("not reachable at start");
        }
    }

    public RedisOptions Options { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>Where Redis is, without credentials.</summary>
    public string Describe { get; }

    public bool IsAvailable => Multiplexer.IsConnected;

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>Records an operation that failed because Redis is gone; warns once per outage.</summary>
    public void Degraded(string reason)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.Unavailable(_logger, Describe, reason);
        }
    }

    private void Restored()
    {
        if (Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            Log.Restored(_logger, Describe);
        }
    }

    public void Dispose() => Multiplexer.Dispose();

    internal static bool IsOutage(Exception ex) =>
        ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException ||
        (ex is RedisServerException rse && rse.Message.StartsWith("LOADING", StringComparison.Ordinal));

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Warning, "Redis at {Endpoint} is unavailable ({Reason}); continuing with in-process caches, counters and turn ordering until it returns")]
        public static partial void Unavailable(ILogger logger, string endpoint, string reason);

        [LoggerMessage(8002, LogLevel.Information, "Redis at {Endpoint} is back; shared caches, counters and turn ordering are in use again")]
        public static partial void Restored(ILogger logger, string endpoint);
    }
}
