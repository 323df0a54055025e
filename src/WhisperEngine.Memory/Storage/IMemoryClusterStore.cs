using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Storage;

/// <summary>
/// Where topic clusters of memories are kept: per partition, the clusters (centroid, label, size) and the cluster of
/// each memory (<see cref="MemoryRecord.ClusterId"/>). Implemented by memory stores that support clustering (SQLite, PostgreSQL);
/// clustering stays off where none is registered.
/// </summary>
/// <remarks>Thread-safe. Every call names one partition, except the sweep query <see cref="GetClusteringCandidatesAsync"/>.</remarks>
public interface IMemoryClusterStore
{
    /// <summary>The clusters of a partition, by id.</summary>
    ValueTask<IReadOnlyList<MemoryCluster>> GetClustersAsync(MemoryPartition partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a partition's clusters (one transaction): every memory's cluster is cleared, then set as
    /// <paramref name="assignments"/> say. Memories written meanwhile stay unclustered until assigned.
    /// </summary>
    ValueTask ReplaceClustersAsync(MemoryPartition partition, IReadOnlyList<MemoryCluster> clusters, IReadOnlyList<ClusterAssignment> assignments,
        CancellationToken cancellationToken = default);

    /// <summary>Puts memories into existing clusters (incremental assignment) and counts them into the clusters' sizes.</summary>
    ValueTask AssignClustersAsync(MemoryPartition partition, IReadOnlyList<ClusterAssignment> assignments, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> vectors of <paramref name="model"/> in a partition whose memory has no cluster, oldest first.</summary>
    ValueTask<IReadOnlyList<MemoryVectorEntry>> GetUnclusteredAsync(MemoryPartition partition, EmbeddingModelId model, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Partitions with at least <paramref name="minUnclustered"/> memories (vector of <paramref name="model"/>) in no cluster, most first.</summary>
    ValueTask<IReadOnlyList<ClusteringCandidate>> GetClusteringCandidatesAsync(EmbeddingModelId model, int minUnclustered, int limit,
        CancellationToken cancellationToken = default);
}
