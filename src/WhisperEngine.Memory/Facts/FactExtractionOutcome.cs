namespace WhisperEngine.Memory.Facts;

/// <summary>How an extraction ended.</summary>
public enum FactExtractionOutcome
{
    /// <summary>Valid operations were stored (possibly none: nothing new was said).</summary>
    Applied,

    /// <summary>Nothing to do: extraction is off or has no model, or no new user message.</summary>
    Skipped,

    /// <summary>The model's answer was invalid twice; nothing of it was stored and the messages count as read.</summary>
    Dropped,

    /// <summary>A fact the answer changes was deleted or replaced meanwhile; nothing was stored, the messages will be read again.</summary>
    Conflict,

    /// <summary>The model call failed; nothing was stored, the messages will be read again.</summary>
    Failed,

    /// <summary>The messages were deleted meanwhile (the person was forgotten): nothing was stored, not even the mark.</summary>
    SourceGone,
}
