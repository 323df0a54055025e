using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Hnsw;

/// <summary>Log messages of the HNSW index (event ids 73xx, part of memory's 7xxx).</summary>
internal static partial class HnswLog
{
    [LoggerMessage(7301, LogLevel.Information, "HNSW graph of {Partition} built: {Count} vectors in {Seconds:0.0} s")]
    public static partial void GraphBuilt(ILogger logger, string partition, int count, double seconds);

    [LoggerMessage(7302, LogLevel.Warning, "HNSW (USearch) is not available on this platform ({Reason}); large memory partitions are searched exactly")]
    public static partial void Unavailable(ILogger logger, string reason);

    [LoggerMessage(7303, LogLevel.Error, "Building the HNSW graph of {Partition} failed; the partition is searched exactly")]
    public static partial void BuildFailed(ILogger logger, Exception exception, string partition);
}
