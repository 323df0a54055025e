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
/// <param name="KeywordIndex">Where keyword search runs: <c>memory</c> (in-memory index per partition) or <c>store</c> (the store's full-text search).</param>
public sealed record MemorySettings(
    bool Enabled,
    int MaxPromptTokens,
    int RecallCount,
    TimeSpan RecallTimeout,
    bool Relationship,
    bool Emotion,
    bool RememberReplies,
    int QueueCapacity,
    TimeSpan DrainTimeout,
    string KeywordIndex = "memory");
