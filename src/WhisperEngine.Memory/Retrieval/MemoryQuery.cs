using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Retrieval;

/// <summary>What to recall: text (usually the user's new message) within a privacy scope, cut to a size.</summary>
/// <param name="Scope">Whose memories, and where they will be shown.</param>
/// <param name="Text">What to search for.</param>
public sealed record MemoryQuery(RecallScope Scope, string Text)
{
    /// <summary>At most this many memories.</summary>
    public int MaxResults { get; init; } = 10;

    /// <summary>At most this many tokens of rendered memories, null for no limit.</summary>
    public int? MaxTokens { get; init; }

    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>
    /// What the dense search embeds instead of <see cref="Text"/>, null for <see cref="Text"/> itself. The turn path gives
    /// the user's message in its memory form (<c>Speaker: text</c>), so the same vector serves the recall and the memory
    /// written for that message (<see cref="MemoryRecall.QueryVector"/>).
    /// </summary>
    public string? EmbeddingText { get; init; }
}
