namespace WhisperEngine.Hosting.Configuration;

/// <summary>The <c>memory.*</c> settings: long-term memory in the turn pipeline and the post-turn background queue.</summary>
/// <param name="Enabled">Recall into prompts and write turns as memories.</param>
/// <param name="MaxPromptTokens">Prompt tokens for the context sections (memories, relationship).</param>
/// <param name="RecallCount">Memories recalled per turn at most.</param>
/// <param name="RecallTimeout">Longest wait for recall.</param>
/// <param name="Relationship">Relationship level in the prompt (memory.relationship and features.phase4_human_like).</param>
/// <param name="Emotion">Emotion labels (memory.emotion and features.phase4_human_like).</param>
/// <param name="RememberReplies">The character's replies become memories too.</param>
/// <param name="QueueCapacity">Background jobs waiting at most.</param>
/// <param name="DrainTimeout">Longest wait for queued jobs at shutdown.</param>
public sealed record MemorySettings(
    bool Enabled,
    int MaxPromptTokens,
    int RecallCount,
    TimeSpan RecallTimeout,
    bool Relationship,
    bool Emotion,
    bool RememberReplies,
    int QueueCapacity,
    TimeSpan DrainTimeout)
{
    /// <summary>A person's in-memory search indexes unused this long are dropped (zero: kept).</summary>
    public TimeSpan IndexIdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Memories held in loaded search indexes at most (zero: no limit).</summary>
    public long MaxIndexedMemories { get; init; } = 1_000_000;

    /// <summary>Where keyword search runs: <c>memory</c> (an in-memory index per partition) or <c>store</c> (the store's full-text search).</summary>
    public string KeywordIndex { get; init; } = "memory";
}
