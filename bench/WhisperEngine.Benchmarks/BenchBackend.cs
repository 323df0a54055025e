using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// The storage a benchmark case runs on, as configuration overrides for <c>AddWhisperEngine</c>: a SQLite file
/// (synchronous normal or full), or PostgreSQL in a schema of its own, with or without Redis under a key prefix of
/// its own. The servers come from <c>WHISPERENGINE_BENCH_POSTGRES</c>/<c>WHISPERENGINE_BENCH_REDIS</c>, else the
/// test servers' <c>WHISPERENGINE_TEST_POSTGRES</c>/<c>WHISPERENGINE_TEST_REDIS</c>.
/// </summary>
internal sealed class BenchBackend
{
    private readonly string _name;
    private readonly string? _schema;

    private BenchBackend(string name, string? schema)
    {
        _name = name;
        _schema = schema;
    }

    public bool IsSqlite => _schema is null;

    /// <summary>sqlite, sqlite-full, postgres or postgres+redis.</summary>
    public static BenchBackend For(string name) => name switch
    {
        "sqlite" or "sqlite-full" => new BenchBackend(name, null),
        "postgres" or "postgres+redis" => new BenchBackend(name, "bench_turn_" + Guid.NewGuid().ToString("N")[..8]),
        _ => throw new ArgumentException($"unknown store '{name}'; use sqlite, sqlite-full, postgres or postgres+redis", nameof(name)),
    };

    public static string PostgresConnectionString() => Server("POSTGRES", "PostgreSQL");

    public static string RedisConnectionString() => Server("REDIS", "Redis");

    /// <summary>Adds the storage and cache settings of this backend to the configuration overrides.</summary>
    public void AddSettings(IDictionary<string, string> overrides)
    {
        switch (_name)
        {
            case "sqlite":
                overrides["storage.sqlite.synchronous"] = "normal";
                break;
            case "sqlite-full":
                overrides["storage.sqlite.synchronous"] = "full";
                break;
            default:
                overrides["storage.provider"] = "postgres";
                overrides["storage.postgres.connection_string"] = PostgresConnectionString();
                overrides["storage.postgres.schema"] = _schema!;
                if (_name == "postgres+redis")
                {
                    overrides["cache.provider"] = "redis";
                    overrides["redis.connection_string"] = RedisConnectionString();
                    overrides["redis.key_prefix"] = _schema + ":";
                }

                break;
        }
    }

    /// <summary>Deletes the conversation's messages newer than <paramref name="lastId"/> (outside the measurement).</summary>
    public async Task DeleteMessagesAfterAsync(IServiceProvider services, long conversationId, long lastId)
    {
        if (IsSqlite)
        {
            var db = services.GetRequiredService<SqliteDatabase>();
            await using var connection = await db.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM messages WHERE conversation_id = $c AND id > $last;";
            command.Parameters.AddWithValue("$c", conversationId);
            command.Parameters.AddWithValue("$last", lastId);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var delete = services.GetRequiredService<PostgresDatabase>().DataSource.CreateCommand(
            "DELETE FROM messages WHERE conversation_id = $1 AND id > $2;");
        delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = conversationId });
        delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastId });
        await delete.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the case's PostgreSQL schema (the SQLite file goes with the temp home).</summary>
    public async Task DropAsync(IServiceProvider services)
    {
        if (IsSqlite || services.GetService<PostgresDatabase>() is not { } db)
        {
            return;
        }

        await using var drop = db.DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;");
        await drop.ExecuteNonQueryAsync();
    }

    private static string Server(string kind, string product) =>
        Environment.GetEnvironmentVariable("WHISPERENGINE_BENCH_" + kind)
        ?? Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_" + kind)
        ?? throw new InvalidOperationException(
            $"The {product} cases need a server: set WHISPERENGINE_BENCH_{kind} (a connection string) or start the test servers " +
            "with `source scripts/test-servers.sh start`.");
}
