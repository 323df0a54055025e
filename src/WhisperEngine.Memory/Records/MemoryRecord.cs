using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Records;

/// <summary>A stored memory.</summary>
public sealed record MemoryRecord
{
    public required long Id { get; init; }
    public required MemoryPartition Partition { get; init; }
    public required string ChannelId { get; init; }
    public required PrivacyLevel Privacy { get; init; }
    public required string Speaker { get; init; }
    public required string Text { get; init; }

    /// <summary>Indexing context (see <see cref="NewMemory.Context"/>).</summary>
    public string? Context { get; init; }

    /// <summary>The emotion the words showed (see <see cref="NewMemory.Emotion"/>).</summary>
    public string? Emotion { get; init; }

    /// <summary>The message that answered it, "Speaker: text" (see <see cref="NewMemory.InReplyTo"/>); indexing only.</summary>
    public string? Reply { get; init; }

    /// <summary>Its topic cluster in the partition (<see cref="Clustering.MemoryCluster.Id"/>), null when not clustered.</summary>
    public int? ClusterId { get; init; }

    /// <summary>When it was said.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>When it was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    public float Importance { get; init; } = 0.5f;
    public int AccessCount { get; init; }
    public DateTimeOffset? LastAccessedAt { get; init; }

    /// <summary>The model of the stored vector, null when it has none yet.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>The dimension of the stored vector, null when it has none yet.</summary>
    public int? EmbeddingDimensions { get; init; }

    /// <summary>Tokens of the memory as it is rendered into a prompt (<see cref="Writing.MemoryFormatter.Render(MemoryRecord)"/>).</summary>
    public required int TokenCount { get; init; }
}
