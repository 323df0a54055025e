using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Durable facts about people and bots, with their history. An owner (<see cref="FactOwner"/>) has at most one active
/// fact per subject and key: a new value supersedes the old one, so contradictions are resolved, never appended.
/// Implementations: SQLite; PostgreSQL later, against the same conformance tests.
/// </summary>
/// <remarks>
/// Thread-safe. Every write is one transaction: a batch is stored whole or not at all. Every operation names one owner:
/// no call reads or changes another person's, bot's or tenant's facts.
/// </remarks>
public interface IFactStore
{
    /// <summary>The active facts of an owner, oldest first (a stable order, so people can refer to them by number).</summary>
    ValueTask<IReadOnlyList<FactRecord>> GetActiveAsync(FactOwner owner, CancellationToken cancellationToken = default);

    /// <summary>Every fact of an owner, retired ones included, oldest first.</summary>
    ValueTask<IReadOnlyList<FactRecord>> GetAllAsync(FactOwner owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds one fact. An active fact with the same subject and key is superseded by it; one with the same value too is
    /// only confirmed (its confidence becomes the higher of the two) and returned.
    /// </summary>
    ValueTask<FactRecord> AddAsync(FactOwner owner, NewFact fact, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a batch in order, all-or-nothing, and moves <paramref name="mark"/> forward in the same transaction. When
    /// an update or retirement names a fact that is not an active fact of this owner (deleted or replaced since it was
    /// read), nothing is applied and the result says why. Invalid operations (a missing value, a confidence outside 0-1,
    /// an empty key, two operations on one fact) throw <see cref="ArgumentException"/> before anything is written.
    /// </summary>
    ValueTask<FactApplyResult> ApplyAsync(FactOwner owner, IReadOnlyList<FactOperation> operations, ExtractionMark? mark = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a fact of this owner together with the history of its key (the facts it superseded): a person deleting a
    /// fact wants it gone, not retired. Returns false when the owner has no fact with this id.
    /// </summary>
    ValueTask<bool> DeleteAsync(FactOwner owner, long id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every fact of an owner and, for a person, their extraction marks (forgetting a person); returns how many facts.</summary>
    ValueTask<int> DeleteAllAsync(FactOwner owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// The owners under which a person has facts or extraction marks in a tenant, with one bot or (null) every bot: what
    /// exporting or erasing the person's data covers.
    /// </summary>
    ValueTask<IReadOnlyList<FactOwner>> GetOwnersAsync(string tenantId, string userId, string? botId = null, CancellationToken cancellationToken = default);

    /// <summary>The last message of a conversation whose facts were extracted; 0 when none were.</summary>
    ValueTask<long> GetExtractedUpToAsync(ConversationKey conversation, CancellationToken cancellationToken = default);

    /// <summary>Moves a conversation's extraction mark forward (never back), with no facts to apply.</summary>
    ValueTask SetExtractedUpToAsync(ExtractionMark mark, CancellationToken cancellationToken = default);
}
