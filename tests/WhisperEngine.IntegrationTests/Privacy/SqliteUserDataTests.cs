namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>Exporting and erasing a person on the desktop tier's SQLite file.</summary>
public sealed class SqliteUserDataTests : UserDataConformance
{
    protected override Dictionary<string, string> Settings() => [];
}
