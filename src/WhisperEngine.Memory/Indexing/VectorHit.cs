namespace WhisperEngine.Memory.Indexing;

/// <summary>A vector search result: the memory id and its cosine similarity to the query.</summary>
public readonly record struct VectorHit(long Id, float Similarity);
