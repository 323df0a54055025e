using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Consolidation;

/// <summary>A session about to be replaced by its summary: which memories, and the summary the model wrote.</summary>
/// <param name="ChannelId">Where the session happened.</param>
/// <param name="Privacy">The privacy of that place; the summary keeps it.</param>
/// <param name="Day">The UTC day of the session.</param>
/// <param name="SourceIds">The memories summarised.</param>
/// <param name="Summary">The summary text.</param>
/// <param name="OccurredAt">When the session started.</param>
/// <param name="SourceImportanceFactor">Factor applied to the importance of the sources (kept, ranked lower).</param>
public sealed record ConsolidationStart(
    string ChannelId, PrivacyLevel Privacy, DateOnly Day, IReadOnlyList<long> SourceIds, string Summary, DateTimeOffset OccurredAt, float SourceImportanceFactor);
