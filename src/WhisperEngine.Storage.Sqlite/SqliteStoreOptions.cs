namespace WhisperEngine.Storage.Sqlite;

/// <summary>Settings of the SQLite stores (config section <c>storage.sqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// <c>full</c> (default): a commit survives power loss. <c>normal</c>: faster; in WAL mode a commit still survives
    /// a process kill, but the newest commits may roll back on power loss.
    /// </summary>
    public string Synchronous { get; init; } = "full";

    /// <summary>How long a statement waits for a lock held by another process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
