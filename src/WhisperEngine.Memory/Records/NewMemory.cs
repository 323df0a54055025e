using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Records;

/// <summary>A memory to write: one thing someone said, where and when.</summary>
/// <param name="Partition">Whose memory it is.</param>
/// <param name="ChannelId">Where it was said.</param>
/// <param name="Privacy">What kind of channel that was; decides where it may be recalled.</param>
/// <param name="Speaker">Who said it (the person's display name, or the bot's).</param>
/// <param name="Text">What was said.</param>
/// <param name="OccurredAt">When it was said.</param>
public sealed record NewMemory(MemoryPartition Partition, string ChannelId, PrivacyLevel Privacy, string Speaker, string Text, DateTimeOffset OccurredAt)
{
    /// <summary>
    /// How much it matters, 0 to 1. The default 0.5 means "not known": the writer then estimates it from the words
    /// (<see cref="Writing.ImportanceEstimator"/>) when <see cref="MemoryOptions.EstimateImportance"/> is on.
    /// </summary>
    public float Importance { get; init; } = 0.5f;

    /// <summary>
    /// What was said just before (the message this one answers), used only to index it: "yes, last week" is found by
    /// the question it answered. Not part of the text recalled.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>The emotion the words show (<c>joy</c>, <c>sadness</c>, ...: <see cref="WhisperEngine.Memory.Emotion.EmotionLabel"/> in lower case), null when not classified.</summary>
    public string? Emotion { get; init; }

    /// <summary>
    /// The memory (same partition) this one answers: its keyword entry gets this memory's words as its reply, so a
    /// question is found by the words of its answer too. Set in the same transaction as the write; ignored when the id
    /// is not a memory of the partition.
    /// </summary>
    public long? InReplyTo { get; init; }

    /// <summary>
    /// The embedding of its memory form (<c>Speaker: text</c>, <see cref="Writing.MemoryFormatter.EmbeddingText"/>) by the
    /// writer's model when it was made already (the turn's recall embeds the user's message so); the writer embeds the
    /// text itself when null. Must be of the writer's model and dimension.
    /// </summary>
    public ReadOnlyMemory<float>? Vector { get; init; }
}
