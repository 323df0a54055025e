namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// What one process tells the others about a partition's vector indexes (<see cref="VectorIndexRegistry.PeerTopic"/>):
/// memories stored with their vectors (<see cref="Entries"/>), or the partition's memories removed (no entries).
/// </summary>
internal sealed record IndexChange(string Tenant, string Bot, string User, string? Model, int Dimensions, IReadOnlyList<IndexChangeEntry>? Entries);
