using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory;

/// <summary>Log messages of the memory subsystem (event ids 7xxx). Memory text is logged only at Trace.</summary>
internal static partial class MemoryLog
{
    [LoggerMessage(7001, LogLevel.Warning,
        "{Count} memories of {Partition} have no vector of the current model {Model} ({Models}); they are left out of dense search until re-embedded")]
    public static partial void StaleEmbeddings(ILogger logger, string partition, long count, string model, string models);

    [LoggerMessage(7002, LogLevel.Debug, "Vector index of {Partition} loaded: {Count} vectors of {Model}")]
    public static partial void IndexLoaded(ILogger logger, string partition, int count, string model);

    [LoggerMessage(7003, LogLevel.Trace, "Memory {Id} of {Partition} stored: {Text}")]
    public static partial void Stored(ILogger logger, long id, string partition, string text);

    [LoggerMessage(7004, LogLevel.Debug, "Recall in {Partition} ({Mode}): {Hits} hits, {Tokens} tokens, {Candidates} candidates, {Duplicates} near-duplicates left out")]
    public static partial void Recalled(ILogger logger, string partition, string mode, int hits, int tokens, int candidates, int duplicates);

    [LoggerMessage(7005, LogLevel.Information, "Re-embedded {Count} memories of {Partition} with {Model}")]
    public static partial void Reembedded(ILogger logger, int count, string partition, string model);

    [LoggerMessage(7006, LogLevel.Information, "Deleted {Count} memories of {Partition}")]
    public static partial void Forgotten(ILogger logger, int count, string partition);

    [LoggerMessage(7009, LogLevel.Information, "Messages from other processes may have been missed: {Count} loaded vector indexes dropped, to be reloaded from the store")]
    public static partial void IndexesResynchronised(ILogger logger, int count);

    [LoggerMessage(7010, LogLevel.Warning, "A vector index change could not be shared with or taken from another process; indexes catch up when reloaded")]
    public static partial void PeerSignalFailed(ILogger logger, Exception exception);

    [LoggerMessage(7011, LogLevel.Debug, "Keyword index of {Partition} loaded: {Count} memories, about {Bytes} bytes")]
    public static partial void KeywordIndexLoaded(ILogger logger, string partition, int count, long bytes);

    [LoggerMessage(7020, LogLevel.Warning, "Relationship of {Partition} could not be read; this turn's prompt goes without it")]
    public static partial void RelationshipReadFailed(ILogger logger, string partition, Exception exception);

    [LoggerMessage(7021, LogLevel.Debug, "Message {MessageId} of {Partition} not remembered: {Reason}")]
    public static partial void NotRemembered(ILogger logger, string partition, long messageId, string reason);

    [LoggerMessage(7022, LogLevel.Debug, "Turn of {Partition} remembered: {Count} memories written")]
    public static partial void TurnRemembered(ILogger logger, string partition, int count);
}
