namespace WhisperEngine.Memory.UserData;

/// <summary>A memory in a person's data export (section <c>memories</c>). The vector itself is not exported: it is derived from the text by the named model.</summary>
public sealed record ExportedMemory
{
    public required long Id { get; init; }

    /// <summary>The bot that remembers it.</summary>
    public required string Bot { get; init; }
    public required string Channel { get; init; }

    /// <summary><c>direct_message</c>, <c>private_channel</c> or <c>public_channel</c>: decides where it may be recalled.</summary>
    public required string Privacy { get; init; }
    public required string Speaker { get; init; }
    public required string Text { get; init; }

    /// <summary>What was said just before, kept to index the memory.</summary>
    public string? Context { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public float Importance { get; init; }
    public int AccessCount { get; init; }
    public DateTimeOffset? LastAccessedAt { get; init; }
    public int TokenCount { get; init; }

    /// <summary>The model of its vector, null when it has none.</summary>
    public string? EmbeddingModel { get; init; }
    public int? EmbeddingDimensions { get; init; }
}
