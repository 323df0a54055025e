namespace WhisperEngine.Memory.Pipeline;

/// <summary>What the turn pipeline recalls and remembers (config section <c>memory</c>).</summary>
public sealed class TurnMemoryOptions
{
    /// <summary>Memories recalled per turn at most.</summary>
    public int RecallCount { get; set; } = 8;

    /// <summary>Tokens of recalled memories per turn at most (the prompt share of the context sections).</summary>
    public int MaxPromptTokens { get; set; } = 1_000;

    /// <summary>Whether the relationship level is counted and shown in the prompt.</summary>
    public bool Relationship { get; set; } = true;

    /// <summary>Whether user messages get an emotion label (stored with the memory, shown in the prompt).</summary>
    public bool Emotion { get; set; } = true;

    /// <summary>Whether the character's replies are remembered too (as its own memories, in the same partition).</summary>
    public bool RememberReplies { get; set; } = true;

    /// <summary>Importance of a remembered reply: below a user's message (0.5), so the person's own words win a tie.</summary>
    public float ReplyImportance { get; set; } = 0.4f;
}
