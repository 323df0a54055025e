namespace WhisperEngine.Memory.Retrieval;

/// <summary>Which rankings a retrieval uses.</summary>
public enum RetrievalMode
{
    /// <summary>Dense and keyword rankings fused, with recency and importance boosts (the engine's mode).</summary>
    Hybrid = 0,

    /// <summary>Embedding similarity only (a baseline).</summary>
    Dense = 1,

    /// <summary>Keyword (BM25) only (a baseline).</summary>
    Keyword = 2,
}
