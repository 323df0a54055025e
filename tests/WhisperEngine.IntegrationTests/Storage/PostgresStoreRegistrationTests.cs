using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WhisperEngine.Core.Storage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.IntegrationTests.Storage;

/// <summary><c>AddPostgresStores</c> against the real test server.</summary>
public sealed class PostgresStoreRegistrationTests
{
    [Fact]
    public async Task Resolve_MigrationFailsRepeatedly_LeavesNoConnectionsOpen()
    {
        // A name the migration journal cannot use unquoted: every resolution fails while migrating, as serve's
        // /readyz polls do when a deployment is misconfigured.
        var application = "we-regtest-" + Guid.NewGuid().ToString("N")[..8];
        var schema = "bad-" + TestServers.NewSchema();
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { ApplicationName = application }.ConnectionString;
        var services = new ServiceCollection();
        services.AddPostgresStores(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema });
        await using var provider = services.BuildServiceProvider();
        try
        {
            Assert.Throws<StorageException>(() => provider.GetRequiredService<PostgresDatabase>());
            var afterOne = await ConnectionsAsync(application, atMost: int.MaxValue);

            for (var i = 0; i < 10; i++)
            {
                Assert.Throws<StorageException>(() => provider.GetRequiredService<PostgresDatabase>());
            }

            // Without closing each failed attempt's pool, every attempt keeps at least one connection open for good.
            var afterEleven = await ConnectionsAsync(application, atMost: afterOne);
            Assert.True(afterEleven <= afterOne, $"{afterEleven} connections open after 11 failed migrations, {afterOne} after the first");
        }
        finally
        {
            await TestServers.DropSchemaAsync(schema);
        }
    }

    /// <summary>Server-side connections of the application, polled until at most <paramref name="atMost"/> (closing is asynchronous) or 5 s.</summary>
    private static async Task<long> ConnectionsAsync(string application, long atMost)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1;", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = application });
            var count = (long)(await command.ExecuteScalarAsync())!;
            if (count <= atMost || DateTime.UtcNow > deadline)
            {
                return count;
            }

            await Task.Delay(100);
        }
    }
}
