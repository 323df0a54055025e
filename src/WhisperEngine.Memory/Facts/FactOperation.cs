namespace WhisperEngine.Memory.Facts;

/// <summary>One change to an owner's facts; a batch of them is applied all-or-nothing (<see cref="IFactStore.ApplyAsync"/>).</summary>
/// <param name="Kind">What it does.</param>
/// <param name="TargetId">The fact updated or retired; null for <see cref="FactOperationKind.Add"/>.</param>
/// <param name="Fact">The fact added, or the new value of an update (whose subject and key are the target's); null for a retirement.</param>
/// <param name="Reason">Why a fact is retired or updated, when known.</param>
public sealed record FactOperation(FactOperationKind Kind, long? TargetId, NewFact? Fact, string? Reason = null)
{
    public static FactOperation Add(NewFact fact) => new(FactOperationKind.Add, null, fact ?? throw new ArgumentNullException(nameof(fact)));

    public static FactOperation Update(long targetId, NewFact fact, string? reason = null) =>
        new(FactOperationKind.Update, targetId, fact ?? throw new ArgumentNullException(nameof(fact)), reason);

    public static FactOperation Retire(long targetId, string? reason = null) => new(FactOperationKind.Retire, targetId, null, reason);
}
