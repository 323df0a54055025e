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

    /// <summary>Processes that start together on a new schema all migrate it: one at a time, the others find it done.</summary>
    [Fact]
    public async Task Migrate_SeveralProcessesAtOnceOnANewSchema_AllSucceed()
    {
        var schema = TestServers.NewSchema();
        var databases = Enumerable.Range(0, 4)
            .Select(_ => new PostgresDatabase(new PostgresStoreOptions { ConnectionString = TestServers.Postgres, Schema = schema }))
            .ToList();
        try
        {
            using var start = new Barrier(databases.Count);
            await Task.WhenAll(databases.Select(db => Task.Run(() =>
            {
                start.SignalAndWait();
                db.Migrate([WhisperEngine.Memory.Postgres.PostgresMemoryServiceCollectionExtensions.Module]);
            })));

            await using var connection = new NpgsqlConnection(TestServers.Postgres + $";Search Path={schema}");
            await connection.OpenAsync();
            await using var scripts = new NpgsqlCommand("SELECT count(*), count(DISTINCT scriptname) FROM schema_versions;", connection);
            await using var reader = await scripts.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) > 5);
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }

            await TestServers.DropSchemaAsync(schema);
        }
    }

    /// <summary>
    /// A burst of statements opens at most <see cref="PostgresDatabase.DefaultMaxPoolSize"/> server connections when the
    /// connection string does not size the pool, and as many as it says when it does.
    /// </summary>
    [Theory]
    [InlineData("", 40, PostgresDatabase.DefaultMaxPoolSize)]
    [InlineData(";Maximum Pool Size=40", 40, 40)]
    [InlineData(";MaxPoolSize=36", 40, 36)]
    public async Task Burst_PoolSize_DefaultUnlessTheConnectionStringSaysOtherwise(string sizing, int statements, int expected)
    {
        var application = "we-pooltest-" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { ApplicationName = application }.ConnectionString + sizing;
        await using var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Schema = "public" });
        await Task.WhenAll(Enumerable.Range(0, statements).Select(async _ =>
        {
            await using var command = db.DataSource.CreateCommand("SELECT pg_sleep(0.4);");
            await command.ExecuteNonQueryAsync();
        }));

        Assert.Equal(expected, await ConnectionsAsync(application, atMost: int.MaxValue));
        Assert.Equal(sizing.Length > 0, PostgresDatabase.NamesPoolSize(connectionString));
    }

    /// <summary>
    /// A statement run a few times on a connection is prepared there (the server keeps its plan) when the connection
    /// string does not say otherwise, and never when it sets <c>Max Auto Prepare=0</c>.
    /// </summary>
    [Theory]
    [InlineData("", 1)]
    [InlineData(";Max Auto Prepare=0", 0)]
    public async Task RepeatedStatement_IsPreparedUnlessTheConnectionStringSaysOtherwise(string setting, long expected)
    {
        var connectionString = TestServers.Postgres + setting;
        await using var db = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Schema = "public" });
        var marker = "we_prepare_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await db.DataSource.OpenConnectionAsync();
        for (var i = 0; i < 8; i++)
        {
            await using var command = new NpgsqlCommand($"SELECT $1::int + 1 AS {marker};", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
            Assert.Equal(i + 1, (int)(await command.ExecuteScalarAsync())!);
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' AND statement NOT LIKE '%pg_prepared_statements%';", connection);
        prepared.Parameters.Add(new NpgsqlParameter<string> { TypedValue = marker });
        Assert.Equal(expected, (long)(await prepared.ExecuteScalarAsync())!);
        Assert.Equal(setting.Length > 0, PostgresDatabase.Names(connectionString, "MaxAutoPrepare"));
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
