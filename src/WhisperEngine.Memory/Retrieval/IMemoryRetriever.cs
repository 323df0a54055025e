namespace WhisperEngine.Memory.Retrieval;

/// <summary>Recalls the memories relevant to a query, within its privacy scope and size limits.</summary>
/// <remarks>Implementations are thread-safe. Retrieval reads only; recording that memories were used is the caller's choice.</remarks>
public interface IMemoryRetriever
{
    /// <summary>Returns the most relevant memories the query's scope allows, best first, cut to its limits.</summary>
    ValueTask<MemoryRecall> RetrieveAsync(MemoryQuery query, CancellationToken cancellationToken = default);
}
