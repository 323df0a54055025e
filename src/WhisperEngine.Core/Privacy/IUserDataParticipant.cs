using System.Text.Json;

namespace WhisperEngine.Core.Privacy;

/// <summary>
/// A store that keeps data about people and takes part in exporting and erasing it (GDPR access and erasure). Every
/// store that keeps rows naming a user registers one (conversations, memories, usage ledger, facts, relationships);
/// <see cref="UserDataService"/> runs them all.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="EraseAsync"/> is idempotent: running it again after a failure erases what is left. It runs
/// while the person's conversations are held (<see cref="Dispatch.ITurnDispatcher.AcquireAllAsync"/>), so no turn of
/// theirs writes meanwhile; caches of the participant's own (conversation ids, loaded indexes) must be dropped by it.
/// </remarks>
public interface IUserDataParticipant
{
    /// <summary>The section of the export this participant writes (<c>conversations</c>, <c>memories</c>, <c>usage</c>, ...): lower case, stable.</summary>
    string Name { get; }

    /// <summary>Counts the person's rows per table, with what <see cref="EraseAsync"/> would do to them.</summary>
    ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes everything this participant keeps of the person as one JSON value (an array of objects in a documented,
    /// stable shape) at the writer's current position: the value of the property <see cref="Name"/>. The writer fills a
    /// buffer that the service writes out between sections, so serializing into it does no I/O.
    /// </summary>
    ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default);

    /// <summary>Deletes (or anonymises) the person's rows and returns, per table, how many.</summary>
    ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default);
}
