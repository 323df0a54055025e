using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Clustering;

/// <summary>Log messages of topic clustering (event ids 73xx). Labels are memory words: Trace only.</summary>
internal static partial class ClusteringLog
{
    [LoggerMessage(7300, LogLevel.Debug, "Clustered {Partition} from scratch: {Memories} memories in {Clusters} clusters, {Iterations} iterations, {Milliseconds} ms")]
    public static partial void Rebuilt(ILogger logger, string partition, int memories, int clusters, int iterations, long milliseconds);

    [LoggerMessage(7301, LogLevel.Debug, "Assigned {Memories} new memories of {Partition} to its {Clusters} clusters")]
    public static partial void Assigned(ILogger logger, string partition, int memories, int clusters);

    [LoggerMessage(7302, LogLevel.Warning, "Clustering {Partition} failed; it is tried again at the next sweep")]
    public static partial void Failed(ILogger logger, string partition, Exception exception);

    [LoggerMessage(7303, LogLevel.Trace, "Cluster {Cluster} of {Partition}: {Size} memories, label {Label}")]
    public static partial void ClusterLabel(ILogger logger, int cluster, string partition, int size, string label);

    [LoggerMessage(7304, LogLevel.Debug, "Clustering sweep: {Partitions} partitions updated")]
    public static partial void Swept(ILogger logger, int partitions);
}
