namespace WhisperEngine.Memory.Facts;

/// <summary>
/// The storage steps of fact writes inside one of a backend's transactions, from which <see cref="FactWrites"/> builds
/// adding, updating and retiring facts the same way on every backend. Times are Unix milliseconds.
/// </summary>
public interface IFactWriteSteps
{
    /// <summary>The owner's active fact <paramref name="id"/>; null when it is not one.</summary>
    Task<FactRecord?> FindActiveAsync(FactOwner owner, long id);

    /// <summary>The owner's active fact with the subject and key of <paramref name="fact"/>, if any.</summary>
    Task<FactRecord?> FindActiveByKeyAsync(FactOwner owner, NewFact fact);

    /// <summary>Inserts <paramref name="fact"/> as an active fact and returns it as stored.</summary>
    Task<FactRecord> InsertAsync(FactOwner owner, NewFact fact, long now);

    /// <summary>Confirms <paramref name="existing"/> (the higher confidence wins, the time moves on) and returns it as stored.</summary>
    Task<FactRecord> ConfirmAsync(FactRecord existing, double confidence, long now);

    /// <summary>Retires fact <paramref name="id"/> with <paramref name="reason"/>.</summary>
    Task RetireAsync(long id, string? reason, long now);

    /// <summary>Links the retired fact <paramref name="oldId"/> to the fact that replaced it.</summary>
    Task SetSupersededByAsync(long oldId, long newId);

    /// <summary>Moves the conversation's extraction mark forward to <paramref name="mark"/>.</summary>
    Task MarkAsync(ExtractionMark mark, long now);
}
