using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Postgres.Facts;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>Facts in a person's data on the real PostgreSQL server (the multi-bot tier), in a schema of this test's own.</summary>
public sealed class PostgresFactUserDataTests : FactUserDataConformance
{
    private readonly string _schema = TestServers.NewSchema();

    protected override Dictionary<string, string> Settings() => new()
    {
        ["tier"] = "multi-bot",
        ["storage.postgres.connection_string"] = TestServers.Postgres,
        ["storage.postgres.schema"] = _schema,
    };

    protected override Task CleanUpAsync() => TestServers.DropSchemaAsync(_schema);

    [Fact]
    public void Engine_MultiBotTier_KeepsFactsInPostgres() => Assert.IsType<PostgresFactStore>(Facts);
}
