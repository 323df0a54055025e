using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Clustering;

/// <summary>A topic cluster of one partition's memories.</summary>
/// <param name="Id">Its number within the partition (0 to k-1 of the last full clustering).</param>
/// <param name="Label">Its most distinctive words, comma-separated ("pottery, clay, bowl"); empty when none stands out.</param>
/// <param name="Size">Memories in it now (grows as new memories are assigned to it).</param>
/// <param name="MembersAtBuild">Memories in it when it was built by a full clustering.</param>
/// <param name="Model">The embedding model of its centroid (only vectors of that model are assigned to it).</param>
/// <param name="Centroid">The unit mean of its members' vectors when it was built.</param>
/// <param name="BuiltAt">When the full clustering ran.</param>
public sealed record MemoryCluster(int Id, string Label, int Size, int MembersAtBuild, EmbeddingModelId Model, ReadOnlyMemory<float> Centroid, DateTimeOffset BuiltAt);
