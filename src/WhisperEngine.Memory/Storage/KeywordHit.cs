namespace WhisperEngine.Memory.Storage;

/// <summary>A keyword search result: the memory id and its relevance (higher is better; BM25 in SQLite).</summary>
public readonly record struct KeywordHit(long Id, double Score);
