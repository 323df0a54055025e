using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Storage;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>Readiness check for the SQLite file.</summary>
public sealed class SqliteStoreHealth(SqliteDatabase db) : IStoreHealth
{
    public async ValueTask<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_versions;";
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (SqliteException ex)
        {
            return $"SQLite ({db.Path}): {ex.Message}";
        }
    }
}
