using Npgsql;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>
/// The PostgreSQL and Redis servers that <c>./test.sh</c> starts on loopback. A missing server is an error, never a skip.
/// </summary>
public static class TestServers
{
    private const string Hint = "run ./test.sh (it starts PostgreSQL and Redis), or `source scripts/test-servers.sh start` before dotnet test";

    public static string Postgres => System.Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("WHISPERENGINE_TEST_POSTGRES is not set: " + Hint);

    public static string Redis => System.Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_REDIS")
        ?? throw new InvalidOperationException("WHISPERENGINE_TEST_REDIS is not set: " + Hint);

    /// <summary>A schema name of this test's own.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
        await command.ExecuteNonQueryAsync();
    }
}
