using Microsoft.Extensions.Logging;

namespace WhisperEngine.Discord.Rest;

internal static partial class RestLog
{
    [LoggerMessage(5101, LogLevel.Warning, "Discord rate limited {Method} {Path} (scope {Scope}); the next request on it waits {DelayMs:0} ms")]
    public static partial void RateLimited(ILogger logger, string method, string path, string scope, double delayMs);

    [LoggerMessage(5102, LogLevel.Warning, "Discord answered HTTP {Status} for {Method} {Path}; retry {Attempt} of {MaxRetries} in {DelayMs:0} ms")]
    public static partial void ServerErrorRetry(ILogger logger, int status, string method, string path, int attempt, int maxRetries, double delayMs);

    [LoggerMessage(5103, LogLevel.Warning, "Cannot reach Discord for {Method} {Path} ({Reason}); retry {Attempt} of {MaxRetries} in {DelayMs:0} ms")]
    public static partial void NetworkRetry(ILogger logger, string method, string path, string reason, int attempt, int maxRetries, double delayMs);

    [LoggerMessage(5104, LogLevel.Debug, "Rate-limit bucket {Bucket} [{Major}] is exhausted; waiting {DelayMs:0} ms for its reset")]
    public static partial void BucketWait(ILogger logger, string bucket, string major, double delayMs);

    [LoggerMessage(5105, LogLevel.Debug, "{Method} {Route} waited {DelayMs:0} ms for the global rate limit")]
    public static partial void GlobalWait(ILogger logger, string method, string route, double delayMs);

    [LoggerMessage(5106, LogLevel.Warning, "Typing indicator in channel {ChannelId} failed: {Reason}")]
    public static partial void TypingFailed(ILogger logger, string channelId, string reason);

    [LoggerMessage(5107, LogLevel.Debug, "Sent message {MessageId} to channel {ChannelId} ({Length} characters)")]
    public static partial void MessageSent(ILogger logger, string messageId, string channelId, int length);
}
