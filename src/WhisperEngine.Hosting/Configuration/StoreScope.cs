using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>
/// A short name of the store a deployment uses (PostgreSQL host, port, database and schema; or the SQLite file), for
/// the Redis keys and channels that hold or name the store's rows: two deployments that share one Redis and its key
/// prefix but not a store must never read each other's cached conversation ids or index messages.
/// </summary>
public static class StoreScope
{
    /// <summary>12 hex characters of a SHA-256 over the store's identity (no credentials).</summary>
    public static string Of(WhisperEngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string identity;
        if (settings.StorageProvider == "postgres" && settings.PostgresConnectionString is { } connection)
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            identity = $"postgres|{builder.Host}|{builder.Port}|{builder.Database}|{settings.PostgresSchema}";
        }
        else
        {
            identity = "sqlite|" + Path.GetFullPath(settings.SqlitePath);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
    }
}
