namespace WhisperEngine.Memory.Keywords;

/// <summary>Where the keyword half of a hybrid search runs (setting <c>memory.keyword_index</c>).</summary>
public enum KeywordIndexMode
{
    /// <summary>An index per partition in process memory (<see cref="KeywordIndexRegistry"/>), loaded from the store on first use.</summary>
    Memory,

    /// <summary>The store's own full-text search (<see cref="Storage.IMemoryStore.KeywordSearchAsync"/>: FTS5, PostgreSQL full text).</summary>
    Store,
}
