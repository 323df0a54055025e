namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>Facts in a person's data on the desktop tier's SQLite file.</summary>
public sealed class SqliteFactUserDataTests : FactUserDataConformance
{
    protected override Dictionary<string, string> Settings() => [];
}
