using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Consolidation;

/// <summary>A consolidation whose sources are marked but whose summary memory is not recorded yet (a run stopped between the two).</summary>
/// <param name="Id">The consolidation.</param>
/// <param name="ChannelId">The channel of its session.</param>
/// <param name="Privacy">The privacy of that channel.</param>
/// <param name="Summary">The summary text to write.</param>
/// <param name="OccurredAt">When the session started (the summary memory's time).</param>
/// <param name="ExistingMemoryId">A memory already written with exactly this summary, to adopt instead of writing it again.</param>
public sealed record PendingConsolidation(long Id, string ChannelId, PrivacyLevel Privacy, string Summary, DateTimeOffset OccurredAt, long? ExistingMemoryId);
