using Microsoft.Extensions.Logging;

namespace WhisperEngine.Discord.Bot;

internal static partial class BotLog
{
    [LoggerMessage(5201, LogLevel.Information, "Bot {BotId}: connecting shards {Shards} of {ShardCount} to Discord")]
    public static partial void Connecting(ILogger logger, string botId, string shards, int shardCount);

    [LoggerMessage(5202, LogLevel.Information, "Bot {BotId}: ready on Discord as {Username} ({UserId})")]
    public static partial void Ready(ILogger logger, string botId, string username, string userId);

    [LoggerMessage(5203, LogLevel.Information, "Bot {BotId}: not answering bot {AuthorId} in channel {ChannelId}: {Max} bot replies in a row; waiting for a human")]
    public static partial void LoopGuard(ILogger logger, string botId, string authorId, string channelId, int max);

    [LoggerMessage(5204, LogLevel.Warning, "Bot {BotId}: turn of user {UserId} in channel {ChannelId} failed ({Kind}, message stored: {Stored}); answered in character")]
    public static partial void TurnFailed(ILogger logger, string botId, string userId, string channelId, string kind, bool stored);

    [LoggerMessage(5205, LogLevel.Warning, "Bot {BotId}: could not send to channel {ChannelId}: {Reason}")]
    public static partial void SendFailed(ILogger logger, string botId, string channelId, string reason);

    [LoggerMessage(5206, LogLevel.Trace, "Bot {BotId}: message {MessageId} from {UserId} in channel {ChannelId}: {Text}")]
    public static partial void Received(ILogger logger, string botId, string messageId, string userId, string channelId, string text);

    [LoggerMessage(5207, LogLevel.Information, "Bot {BotId}: command {Command} by user {UserId} in channel {ChannelId}")]
    public static partial void Command(ILogger logger, string botId, string command, string userId, string channelId);

    [LoggerMessage(5208, LogLevel.Warning, "Bot {BotId}: admin command {Command} refused for user {UserId} (not in discord.admin_user_ids)")]
    public static partial void AdminRefused(ILogger logger, string botId, string command, string userId);

    [LoggerMessage(5209, LogLevel.Warning, "Bot {BotId}: Discord is not reachable at start ({Reason}); retrying in {DelayMs:0} ms")]
    public static partial void StartRetry(ILogger logger, string botId, string reason, double delayMs);

    [LoggerMessage(5210, LogLevel.Critical, "Bot {BotId}: stopping: {Message}")]
    public static partial void Fatal(ILogger logger, string botId, string message);

    [LoggerMessage(5211, LogLevel.Error, "Bot {BotId}: unexpected failure handling a message in channel {ChannelId}")]
    public static partial void Unexpected(ILogger logger, string botId, string channelId, Exception exception);

    [LoggerMessage(5212, LogLevel.Information, "Bot {BotId}: disconnected from Discord")]
    public static partial void Stopped(ILogger logger, string botId);

    [LoggerMessage(5213, LogLevel.Warning, "Bot {BotId}: character reload refused, {Count} problems; the loaded characters stay")]
    public static partial void ReloadFailed(ILogger logger, string botId, int count);

    [LoggerMessage(5214, LogLevel.Debug, "Bot {BotId}: ignored message {MessageId} in channel {ChannelId}: {Reason}")]
    public static partial void Ignored(ILogger logger, string botId, string messageId, string channelId, string reason);

    [LoggerMessage(5220, LogLevel.Warning, "Bot {BotId}: channel {ChannelId} could not be read ({Reason}); its messages count as private")]
    public static partial void ChannelUnknown(ILogger logger, string botId, string channelId, string reason);

    [LoggerMessage(5221, LogLevel.Warning, "Bot {BotId}: malformed {Type} event ignored: {Reason}")]
    public static partial void MalformedChannelEvent(ILogger logger, string botId, string type, string reason);
}
