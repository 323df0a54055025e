using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Clustering;

/// <summary>A partition with memories not yet in a cluster.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Unclustered">Its memories with a vector of the model asked for and no cluster.</param>
public sealed record ClusteringCandidate(MemoryPartition Partition, long Unclustered);
