namespace WhisperEngine.Memory.Clustering;

/// <summary>A memory placed in a cluster of its partition.</summary>
public readonly record struct ClusterAssignment(long MemoryId, int ClusterId);
