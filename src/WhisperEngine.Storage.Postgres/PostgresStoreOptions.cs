namespace WhisperEngine.Storage.Postgres;

/// <summary>Settings of the PostgreSQL stores (config section <c>storage.postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string; a secret when it holds a password.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Schema of the tables (created when missing). Tests use one schema each.</summary>
    public string Schema { get; init; } = "public";
}
