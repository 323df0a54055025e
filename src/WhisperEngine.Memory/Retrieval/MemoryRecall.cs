namespace WhisperEngine.Memory.Retrieval;

/// <summary>The result of a retrieval, best first.</summary>
/// <param name="Hits">The memories, best first, within the query's limits.</param>
/// <param name="TokenCount">Tokens of the hits as rendered into a prompt.</param>
/// <param name="Candidates">Distinct candidates the rankings proposed before the cut.</param>
/// <param name="DuplicatesSuppressed">Candidates left out as near-duplicates of better ones, among those looked at before the result was full.</param>
public sealed record MemoryRecall(IReadOnlyList<MemoryHit> Hits, int TokenCount, int Candidates, int DuplicatesSuppressed)
{
    public static MemoryRecall Empty { get; } = new([], 0, 0, 0);

    /// <summary>The query's embedding (of <see cref="MemoryQuery.EmbeddingText"/>, else its text), null when none was made (keyword mode, empty query).</summary>
    public ReadOnlyMemory<float>? QueryVector { get; init; }
}
