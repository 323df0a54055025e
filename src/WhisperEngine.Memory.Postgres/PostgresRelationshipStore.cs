using Npgsql;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres;

/// <summary>
/// Relationship counters in the <c>relationships</c> table, one row per memory partition (deleted with it). An
/// exchange is counted by one statement that creates or locks the partition row and upserts the counters under
/// <see cref="RelationshipRules"/>: a new UTC day adds a day and resets the day's count; within a day, exchanges beyond
/// the daily cap add to the total only.
/// </summary>
/// <remarks>Thread-safe, and safe across processes: concurrent exchanges of one partition queue on its row.</remarks>
public sealed class PostgresRelationshipStore : IRelationshipStore
{
    private readonly PostgresDatabase _db;

    public PostgresRelationshipStore(PostgresDatabase db) => _db = db;

    public async ValueTask<RelationshipStats?> GetAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var command = _db.DataSource.CreateCommand("""
                SELECT r.exchanges, r.total_exchanges, r.days, r.first_at, r.last_at
                FROM relationships r JOIN memory_partitions p ON p.id = r.partition_id
                WHERE p.tenant_id = $1 AND p.bot_id = $2 AND p.user_id = $3;
                """);
            AddPartition(command, partition);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading a relationship");
        }
    }

    public async ValueTask<RelationshipStats> RecordExchangeAsync(MemoryPartition partition, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            // The partition row first (created or locked), as memory writes and partition deletes take it.
            await using var command = _db.DataSource.CreateCommand("""
                WITH p AS (
                    INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($1, $2, $3)
                    ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
                    RETURNING id)
                INSERT INTO relationships AS r (partition_id, exchanges, total_exchanges, days, last_day, day_exchanges, first_at, last_at)
                SELECT p.id, 1, 1, 1, $4, 1, $5, $5 FROM p
                ON CONFLICT (partition_id) DO UPDATE SET
                    exchanges = r.exchanges + CASE WHEN EXCLUDED.last_day > r.last_day OR r.day_exchanges < $6 THEN 1 ELSE 0 END,
                    total_exchanges = r.total_exchanges + 1,
                    days = r.days + CASE WHEN EXCLUDED.last_day > r.last_day THEN 1 ELSE 0 END,
                    day_exchanges = CASE WHEN EXCLUDED.last_day > r.last_day THEN 1 ELSE r.day_exchanges + 1 END,
                    last_day = GREATEST(r.last_day, EXCLUDED.last_day),
                    first_at = LEAST(r.first_at, EXCLUDED.first_at),
                    last_at = GREATEST(r.last_at, EXCLUDED.last_at)
                RETURNING exchanges, total_exchanges, days, first_at, last_at;
                """);
            AddPartition(command, partition);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = RelationshipRules.DayOf(at) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = at.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = RelationshipRules.DailyCap });

            // Once sent, the count must not be abandoned half-way by a cancelled caller.
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            return Read(reader);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "recording an exchange");
        }
    }

    private static RelationshipStats Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt32(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));

    private static void AddPartition(NpgsqlCommand command, MemoryPartition partition)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.UserId });
    }
}
