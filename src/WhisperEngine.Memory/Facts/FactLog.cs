using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Facts;

/// <summary>Log messages of facts (event ids 7100-7149). Fact values and message text only at Trace.</summary>
internal static partial class FactLog
{
    [LoggerMessage(7100, LogLevel.Debug, "Facts of {Owner} extracted from {Messages} messages of channel {Channel}: {Written} written, {Retired} retired, {Confirmed} confirmed, {Low} below the minimum confidence")]
    public static partial void Extracted(ILogger logger, string owner, int messages, string channel, int written, int retired, int confirmed, int low);

    [LoggerMessage(7101, LogLevel.Warning, "Fact extraction for {Owner} (model {Model}) answered invalid JSON twice; the batch is dropped, nothing of it stored. Errors: {Errors}")]
    public static partial void Dropped(ILogger logger, string owner, string model, string errors);

    [LoggerMessage(7102, LogLevel.Information, "Fact extraction for {Owner} (model {Model}) answered invalid JSON; asking once more. Errors: {Errors}")]
    public static partial void Retrying(ILogger logger, string owner, string model, string errors);

    [LoggerMessage(7103, LogLevel.Warning, "Fact extraction for {Owner} failed (model {Model}): {Reason}; the messages will be read again next time")]
    public static partial void Failed(ILogger logger, string owner, string model, string reason);

    [LoggerMessage(7104, LogLevel.Information, "Fact extraction for {Owner} not stored: {Conflict}; the messages will be read again next time")]
    public static partial void Conflict(ILogger logger, string owner, string conflict);

    [LoggerMessage(7105, LogLevel.Warning, "Fact extraction is enabled but no model is set (memory.facts.model, routing.cheap_model or llm.chat.model); facts are not extracted")]
    public static partial void NoModel(ILogger logger);

    [LoggerMessage(7106, LogLevel.Trace, "Fact extraction answer for {Owner}: {Answer}")]
    public static partial void Answer(ILogger logger, string owner, string answer);

    [LoggerMessage(7108, LogLevel.Information, "Fact extraction for {Owner} in channel {Channel} not stored: its messages were deleted meanwhile (forgotten)")]
    public static partial void SourceGone(ILogger logger, string owner, string channel);

    [LoggerMessage(7107, LogLevel.Warning, "Fact extraction for {Owner} in channel {Channel} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string owner, string channel, Exception exception);

    [LoggerMessage(7109, LogLevel.Warning, "Facts for the prompt of {Partition} could not be read; this turn goes on without them")]
    public static partial void PromptFactsFailed(ILogger logger, string partition, Exception exception);
}
