using System.Reflection;
using DbUp;
using Npgsql;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Postgres;

/// <summary>
/// One pooled <see cref="NpgsqlDataSource"/> for the process, and the schema migrations (DbUp, journal table
/// <c>schema_versions</c> in the configured schema).
/// </summary>
/// <remarks>Thread-safe; a singleton.</remarks>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        Schema = options.Schema;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            SearchPath = options.Schema,
            // Let a restarting server come back without failing every pooled connection at once.
            KeepAlive = 30,
            // No statement leaves session state behind (locks are transaction-scoped, search_path comes from here), so a
            // connection going back to the pool needs no DISCARD ALL: ~13 of them per turn were server work for nothing.
            NoResetOnClose = true,
        };
        if (!NamesPoolSize(options.ConnectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!Names(options.ConnectionString, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "whisperengine";
        }

        _connectionString = builder.ConnectionString;
        Describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} (schema {options.Schema})";
        DataSource = NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>
    /// Connections per process unless the connection string names its own <c>Maximum Pool Size</c> (Npgsql's default is
    /// 100). A burst of turns on a small machine otherwise opens a new server process per waiting statement, which costs
    /// the server CPU the statements need: in the 500-conversation load bench the pool grew to 100 and turns stalled for
    /// seconds, against ~45 connections in use at 32 (docs/benchmarks.md §5). Statements are short, so a turn that finds
    /// every connection busy waits milliseconds for one.
    /// </summary>
    public const int DefaultMaxPoolSize = 32;

    /// <summary>
    /// Statements each connection prepares once it has run them a few times, unless the connection string names its own
    /// <c>Max Auto Prepare</c> (Npgsql's default is 0: none). Unprepared, the server parses and plans every statement
    /// every time: in the 500-conversation load bench with memory on, planning alone took more server time than
    /// executing (4.9 s against 4.3 s in pg_stat_statements), and the server's CPU per turn fell from ~9 ms to ~6 ms
    /// prepared (docs/benchmarks.md §5). The stores have fewer distinct statements than this on their turn paths.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    /// <summary>Where the database is, without credentials, for messages.</summary>
    public string Describe { get; }

    /// <summary>Creates the schema if needed and applies pending migrations: the core's, then each module's.</summary>
    public void Migrate(IEnumerable<PostgresMigrationModule>? modules = null)
    {
        try
        {
            // Processes that start together on a new store (replicas, two bots' engines) migrate one at a time: two
            // concurrent CREATE TABLEs of one name fail on the catalog's unique index. The lock belongs to a session of
            // its own, outside the pool, so closing it always releases the lock.
            using var guard = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
            guard.Open();
            using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0));", guard))
            {
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "whisperengine migrate " + Schema });
                take.ExecuteNonQuery();
            }

            using (var connection = DataSource.OpenConnection())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{Schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\";";
                command.ExecuteNonQuery();
            }

            Upgrade(Assembly.GetExecutingAssembly(), "core");
            foreach (var module in modules ?? [])
            {
                Upgrade(module.Assembly, module.Name);
            }
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex, "migrating");
        }
    }

    private void Upgrade(Assembly assembly, string name)
    {
        var result = DeployChanges.To
            .PostgresqlDatabase(_connectionString, Schema)
            .WithScriptsEmbeddedInAssembly(assembly, script => script.EndsWith(".sql", StringComparison.Ordinal))
            .JournalToPostgresqlTable(Schema, "schema_versions")
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new StorageException($"Migrating {Describe} ({name} schema) failed at script {result.ErrorScript?.Name}: {result.Error?.Message}", false, result.Error);
        }
    }

    /// <summary>Maps a PostgreSQL error; connection failures and serialization conflicts are transient.</summary>
    public StorageException Translate(Exception ex, string operation)
    {
        var transient = ex is NpgsqlException { IsTransient: true } or TimeoutException ||
            (ex is PostgresException pg && pg.SqlState is "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "53300");
        return new StorageException($"{Describe} failed while {operation}: {ex.Message}", transient, ex);
    }

    /// <summary>Whether the connection string sets the pool's maximum size itself (under any of Npgsql's names for it).</summary>
    internal static bool NamesPoolSize(string connectionString) => Names(connectionString, "MaximumPoolSize", "MaxPoolSize");

    /// <summary>Whether the connection string sets one of <paramref name="keys"/> (compared without spaces, ignoring case).</summary>
    internal static bool Names(string connectionString, params string[] keys)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in given.Keys)
        {
            var plain = key.Replace(" ", "", StringComparison.Ordinal);
            if (keys.Any(k => plain.Equals(k, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
