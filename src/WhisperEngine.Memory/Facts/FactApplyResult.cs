namespace WhisperEngine.Memory.Facts;

/// <summary>What a batch of <see cref="FactOperation"/>s did, or why nothing was applied.</summary>
/// <param name="Written">Facts written: additions and new values of updates.</param>
/// <param name="Retired">Ids of facts retired or superseded.</param>
/// <param name="Confirmed">Operations that repeated an active fact's value: its confidence and time were refreshed, nothing new written.</param>
/// <param name="Conflict">Null when the batch was applied; else why none of it was (a target fact is gone or no longer active).</param>
public sealed record FactApplyResult(IReadOnlyList<FactRecord> Written, IReadOnlyList<long> Retired, int Confirmed, string? Conflict = null)
{
    public bool Applied => Conflict is null;

    public static FactApplyResult Rejected(string conflict) => new([], [], 0, conflict);
}
