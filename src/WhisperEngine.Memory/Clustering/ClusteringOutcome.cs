namespace WhisperEngine.Memory.Clustering;

/// <summary>What one clustering run of a partition did.</summary>
/// <param name="Rebuilt">Clustered from scratch (else: new memories assigned to existing clusters).</param>
/// <param name="Clusters">Clusters of the partition afterwards.</param>
/// <param name="Memories">Memories clustered (rebuild) or assigned.</param>
public sealed record ClusteringOutcome(bool Rebuilt, int Clusters, int Memories)
{
    public static ClusteringOutcome Nothing { get; } = new(false, 0, 0);
}
