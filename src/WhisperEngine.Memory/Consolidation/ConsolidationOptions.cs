namespace WhisperEngine.Memory.Consolidation;

/// <summary>Settings of the consolidation of old sessions into summary memories (config section <c>memory.consolidation</c>).</summary>
public sealed class ConsolidationOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>The model that writes summaries (a cheap one does); null: consolidation cannot run.</summary>
    public string? Model { get; init; }

    /// <summary>Why <see cref="Model"/> is that model, for the usage ledger's routing reason.</summary>
    public string ModelReason { get; init; } = "memory.consolidation.model";

    /// <summary>Sessions (a channel's memories of one UTC day) end at least this long ago before they are summarised.</summary>
    public TimeSpan MinAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>A session with fewer memories than this is left as it is: its memories are already compact.</summary>
    public int MinMemories { get; init; } = 6;

    /// <summary>Most memories in one summary; a longer session is summarised in even parts.</summary>
    public int MaxMemoriesPerSummary { get; init; } = 60;

    /// <summary>Importance of a summary memory (0.5 is neutral): a summary ranks above the single turns it covers.</summary>
    public float SummaryImportance { get; init; } = 0.8f;

    /// <summary>Factor applied to the importance of summarised memories: kept, but ranked below their summary.</summary>
    public float SourceImportanceFactor { get; init; } = 0.5f;

    /// <summary>Most characters of a summary; a longer answer is asked again, then dropped.</summary>
    public int MaxSummaryChars { get; init; } = 1500;

    /// <summary>How often the sweep over all partitions runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MinAge < TimeSpan.Zero)
        {
            throw new ArgumentException($"memory.consolidation.min_age_days: {MinAge.TotalDays} is out of range; expected 0 or more.");
        }

        if (MinMemories < 2 || MaxMemoriesPerSummary < MinMemories)
        {
            throw new ArgumentException(
                $"memory.consolidation.min_memories: {MinMemories} is out of range; expected 2 to {MaxMemoriesPerSummary} (the most per summary).");
        }

        if (SummaryImportance is < 0 or > 1 || SourceImportanceFactor is < 0 or > 1)
        {
            throw new ArgumentException($"memory.consolidation importance settings ({SummaryImportance}, {SourceImportanceFactor}) are out of range; expected 0 to 1.");
        }

        if (Interval <= TimeSpan.Zero || MaxSummaryChars < 100)
        {
            throw new ArgumentException("memory.consolidation.interval_minutes must be above 0 and the summary limit at least 100 characters.");
        }
    }
}
