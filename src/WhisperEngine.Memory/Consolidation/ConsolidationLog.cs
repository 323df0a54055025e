using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Consolidation;

/// <summary>Log messages of consolidation (event ids 7150-7199). Summary text only at Trace.</summary>
internal static partial class ConsolidationLog
{
    [LoggerMessage(7150, LogLevel.Information, "Consolidated {Sources} memories of {Partition} (channel {Channel}, {Day}) into summary memory {MemoryId}")]
    public static partial void Consolidated(ILogger logger, int sources, string partition, string channel, string day, long memoryId);

    [LoggerMessage(7151, LogLevel.Warning, "Summary of a session of {Partition} ({Day}, model {Model}) was unusable twice ({Problem}); the session stays as it is")]
    public static partial void Dropped(ILogger logger, string partition, string day, string model, string problem);

    [LoggerMessage(7152, LogLevel.Warning, "Consolidation of {Partition} failed (model {Model}): {Reason}; it is tried again at the next sweep")]
    public static partial void Failed(ILogger logger, string partition, string model, string reason);

    [LoggerMessage(7153, LogLevel.Warning, "Consolidation is enabled but no model is set (memory.consolidation.model, routing.cheap_model or llm.chat.model); old sessions are not summarised")]
    public static partial void NoModel(ILogger logger);

    [LoggerMessage(7154, LogLevel.Information, "Completed an interrupted consolidation of {Partition}: summary memory {MemoryId}")]
    public static partial void Recovered(ILogger logger, string partition, long memoryId);

    [LoggerMessage(7155, LogLevel.Trace, "Summary of {Partition} ({Day}): {Summary}")]
    public static partial void Summary(ILogger logger, string partition, string day, string summary);

    [LoggerMessage(7156, LogLevel.Debug, "Consolidation sweep: {Partitions} partitions, {Summaries} summaries written")]
    public static partial void Swept(ILogger logger, int partitions, int summaries);
}
