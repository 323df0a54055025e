using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>Exporting and erasing a person on the real PostgreSQL server (the multi-bot tier), in a schema of this test's own.</summary>
public sealed class PostgresUserDataTests : UserDataConformance
{
    private readonly string _schema = TestServers.NewSchema();

    protected override Dictionary<string, string> Settings() => new()
    {
        ["tier"] = "multi-bot",
        ["storage.postgres.connection_string"] = TestServers.Postgres,
        ["storage.postgres.schema"] = _schema,
    };

    protected override Task CleanUpAsync() => TestServers.DropSchemaAsync(_schema);
}
