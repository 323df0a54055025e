using Microsoft.Extensions.Logging;

namespace WhisperEngine.Discord.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(5001, LogLevel.Information, "Shard {ShardId}: connecting to {Host} to {Mode}")]
    public static partial void Connecting(ILogger logger, int shardId, string host, string mode);

    [LoggerMessage(5002, LogLevel.Information, "Shard {ShardId}: ready as {Username} ({UserId}) in {GuildCount} guilds")]
    public static partial void Ready(ILogger logger, int shardId, string username, string userId, int guildCount);

    [LoggerMessage(5003, LogLevel.Information, "Shard {ShardId}: session resumed, {Replayed} missed events replayed")]
    public static partial void Resumed(ILogger logger, int shardId, int replayed);

    [LoggerMessage(5004, LogLevel.Warning, "Shard {ShardId}: the gateway connection ended ({CloseCode} {CloseName}); next: {Next}")]
    public static partial void Closed(ILogger logger, int shardId, int? closeCode, string closeName, string next);

    [LoggerMessage(5005, LogLevel.Warning, "Shard {ShardId}: no heartbeat ACK within {IntervalMs:0} ms; dropping the zombie connection to resume")]
    public static partial void Zombie(ILogger logger, int shardId, double intervalMs);

    [LoggerMessage(5006, LogLevel.Information, "Shard {ShardId}: Discord asked for a reconnect (op 7)")]
    public static partial void ReconnectRequested(ILogger logger, int shardId);

    [LoggerMessage(5007, LogLevel.Warning, "Shard {ShardId}: Discord invalidated the session (resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, int shardId, bool resumable);

    [LoggerMessage(5008, LogLevel.Information, "Shard {ShardId}: reconnecting in {DelayMs:0} ms after {Reason}")]
    public static partial void Reconnecting(ILogger logger, int shardId, double delayMs, string reason);

    [LoggerMessage(5009, LogLevel.Critical, "Shard {ShardId}: stopping: {Message}")]
    public static partial void Fatal(ILogger logger, int shardId, string message);

    [LoggerMessage(5010, LogLevel.Information, "Shard {ShardId}: waited {DelayMs:0} ms for an identify slot (max_concurrency {MaxConcurrency})")]
    public static partial void IdentifyWaited(ILogger logger, int shardId, double delayMs, int maxConcurrency);

    [LoggerMessage(5011, LogLevel.Error, "Shard {ShardId}: the daily session start limit ({Total}) is used up; waiting {DelayMs:0} ms for it to reset")]
    public static partial void SessionStartLimitExhausted(ILogger logger, int shardId, int total, double delayMs);

    [LoggerMessage(5012, LogLevel.Trace, "Shard {ShardId}: heartbeat ACK after {LatencyMs:0.0} ms")]
    public static partial void HeartbeatAck(ILogger logger, int shardId, double latencyMs);

    [LoggerMessage(5013, LogLevel.Trace, "Shard {ShardId}: {Type} #{Sequence}")]
    public static partial void Dispatch(ILogger logger, int shardId, string type, int sequence);

    [LoggerMessage(5014, LogLevel.Warning, "Shard {ShardId}: connection attempt failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, int shardId, string reason);

    [LoggerMessage(5015, LogLevel.Debug, "Shard {ShardId}: ignoring gateway op {Op}")]
    public static partial void UnknownOpcode(ILogger logger, int shardId, int op);

    [LoggerMessage(5016, LogLevel.Warning, "Shard {ShardId}: could not parse the {Type} event; passing it on raw")]
    public static partial void MalformedEvent(ILogger logger, int shardId, string type, Exception exception);

    [LoggerMessage(5017, LogLevel.Information, "Shard {ShardId}: disconnected from the gateway (stopping)")]
    public static partial void Stopped(ILogger logger, int shardId);
}
