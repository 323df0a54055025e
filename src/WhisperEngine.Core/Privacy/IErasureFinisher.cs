namespace WhisperEngine.Core.Privacy;

/// <summary>
/// Runs once after every participant erased its rows, still holding the person's conversations: removes what storage
/// keeps of deleted rows beyond the tables (SQLite: WAL checkpoint and VACUUM) and entries of caches keyed by
/// conversation (HybridCache, Redis).
/// </summary>
public interface IErasureFinisher
{
    /// <summary>Finishes the erasure; returns a short description of what was done for the report, or null for nothing worth saying.</summary>
    ValueTask<string?> FinishAsync(ErasedUser erased, CancellationToken cancellationToken = default);
}
