namespace WhisperEngine.Storage.Sqlite;

/// <summary>Settings of the SQLite stores (config section <c>storage.sqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// <c>normal</c> (default): in WAL mode a commit survives a process kill; the newest commits may roll back on power
    /// loss. <c>full</c>: a commit survives power loss too, at one disk sync per commit.
    /// </summary>
    public string Synchronous { get; init; } = "normal";

    /// <summary>How long a statement waits for a lock held by another process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
