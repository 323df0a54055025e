using Npgsql;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Postgres;

/// <summary>Readiness check for PostgreSQL.</summary>
public sealed class PostgresStoreHealth(PostgresDatabase db) : IStoreHealth
{
    public async ValueTask<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = db.DataSource.CreateCommand("SELECT COUNT(*) FROM schema_versions;");
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return $"{db.Describe}: {ex.Message}";
        }
    }
}
