using Npgsql;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres;

/// <summary>
/// Finds out whether the server offers pgvector (<c>pg_available_extensions</c>). The store does not depend on it:
/// vectors are float32 bytea searched in process by the partition's vector index, which works on every server.
/// docs/memory.md says how pgvector would be used where it exists.
/// </summary>
public static class PgVectorProbe
{
    /// <summary>The version of pgvector the server could install, or null when it has none. Synchronous: asked once, at start-up.</summary>
    public static string? AvailableVersion(PostgresDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            using var command = db.DataSource.CreateCommand("SELECT default_version FROM pg_available_extensions WHERE name = 'vector';");
            return command.ExecuteScalar() as string;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "looking for the pgvector extension");
        }
    }
}
