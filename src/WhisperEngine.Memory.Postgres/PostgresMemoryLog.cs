using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Postgres;

/// <summary>Log messages of the PostgreSQL memory store (event ids 71xx).</summary>
internal static partial class PostgresMemoryLog
{
    [LoggerMessage(7101, LogLevel.Information,
        "pgvector {Version} is available on {Database}; memories keep float32 bytea vectors searched in process (pgvector is not used yet)")]
    public static partial void VectorExtensionAvailable(ILogger logger, string version, string database);

    [LoggerMessage(7102, LogLevel.Debug, "pgvector is not available on {Database}; memories keep float32 bytea vectors searched in process")]
    public static partial void VectorExtensionMissing(ILogger logger, string database);
}
