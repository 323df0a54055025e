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

    [LoggerMessage(7103, LogLevel.Information,
        "Keyword search structures of the memory table {Change} on {Database} ({Indexed} memories indexed, {Milliseconds} ms): memory.keyword_index changed")]
    public static partial void KeywordSearchChanged(ILogger logger, string change, string database, long indexed, long milliseconds);
}
