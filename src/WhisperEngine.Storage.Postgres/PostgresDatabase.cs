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
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "whisperengine";
        }

        _connectionString = builder.ConnectionString;
        Describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} (schema {options.Schema})";
        DataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    /// <summary>Where the database is, without credentials, for messages.</summary>
    public string Describe { get; }

    /// <summary>Creates the schema if needed and applies pending migrations: the core's, then each module's.</summary>
    public void Migrate(IEnumerable<PostgresMigrationModule>? modules = null)
    {
        try
        {
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

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
