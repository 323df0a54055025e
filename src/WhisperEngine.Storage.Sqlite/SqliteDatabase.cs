using System.Reflection;
using DbUp;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>
/// One SQLite database file in WAL mode: opens pooled connections with the engine's pragmas and applies the
/// schema migrations (DbUp, journal table <c>schema_versions</c>) once at start.
/// </summary>
/// <remarks>Thread-safe. Writes are serialised in process by <see cref="WriteLock"/>; readers run in parallel (WAL).</remarks>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(SqliteStoreOptions options)
    {
        var synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            "EXTRA" => "EXTRA",
            _ => throw new ArgumentException($"storage.sqlite.synchronous: '{options.Synchronous}' is not one of full, normal, extra.", nameof(options)),
        };
        Path = System.IO.Path.GetFullPath(options.Path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        }.ToString();
        // secure_delete FAST: deleted and updated rows are zeroed inside their pages at no extra I/O; an erasure turns it fully
        // on (freed pages zeroed too) and then VACUUMs (SqliteErasureFinisher).
        _pragmas = $"PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}; PRAGMA secure_delete = FAST;";
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Serialises writers in this process so they queue here instead of spinning on SQLITE_BUSY.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>
    /// Creates the file if needed, switches it to WAL and applies pending migrations: the core's, then each module's.
    /// </summary>
    public void Migrate(IEnumerable<SqliteMigrationModule>? modules = null)
    {
        try
        {
            using (var connection = new SqliteConnection(_connectionString))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL;";
                command.ExecuteNonQuery();
            }

            Upgrade(Assembly.GetExecutingAssembly(), "core");
            foreach (var module in modules ?? [])
            {
                Upgrade(module.Assembly, module.Name);
            }
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, $"opening {Path}");
        }
    }

    private void Upgrade(Assembly assembly, string name)
    {
        var result = DeployChanges.To
            .SqliteDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(assembly, script => script.EndsWith(".sql", StringComparison.Ordinal))
            .JournalToSqliteTable("schema_versions")
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new StorageException($"Migrating {Path} ({name} schema) failed at script {result.ErrorScript?.Name}: {result.Error?.Message}", false, result.Error);
        }
    }

    /// <summary>Opens a pooled connection with the engine's pragmas applied.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a pooled connection for erasing a person's rows: <c>secure_delete</c> fully on, so deleted content is
    /// overwritten with zeros in its pages and in pages that become free. (The next open of the pooled connection sets
    /// the engine's pragmas again.)
    /// </summary>
    public async ValueTask<SqliteConnection> OpenForErasureAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA secure_delete = ON;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Maps a SQLite error to the storage exception, marking lock and I/O errors transient.</summary>
    public StorageException Translate(SqliteException ex, string operation)
    {
        // 5 BUSY, 6 LOCKED, 10 IOERR: another process holds the file or the disk hiccupped; 13 FULL is not transient.
        var transient = ex.SqliteErrorCode is 5 or 6 or 10;
        return new StorageException($"SQLite error while {operation} ({System.IO.Path.GetFileName(Path)}): {ex.Message}", transient, ex);
    }

    public void Dispose()
    {
        WriteLock.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
