using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>
/// Relationship counters in the <c>relationships</c> table, one row per memory partition (deleted with it). An
/// exchange is counted by one upsert that applies <see cref="RelationshipRules"/>: a new UTC day adds a day and
/// resets the day's count; within a day, exchanges beyond the daily cap add to the total only.
/// </summary>
/// <remarks>Thread-safe; writes are serialised by the database's write lock.</remarks>
public sealed class SqliteRelationshipStore : IRelationshipStore
{
    private readonly SqliteDatabase _db;

    public SqliteRelationshipStore(SqliteDatabase db) => _db = db;

    public async ValueTask<RelationshipStats?> GetAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT r.exchanges, r.total_exchanges, r.days, r.first_at, r.last_at
                FROM relationships r JOIN memory_partitions p ON p.id = r.partition_id
                WHERE p.tenant_id = $tenant AND p.bot_id = $bot AND p.user_id = $user;
                """;
            AddPartition(command, partition);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading a relationship");
        }
    }

    public async ValueTask<RelationshipStats> RecordExchangeAsync(MemoryPartition partition, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($tenant, $bot, $user)
                    ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = excluded.tenant_id
                    RETURNING id;
                    """;
                AddPartition(command, partition);
                var partitionId = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;

                command.Parameters.Clear();
                command.CommandText = """
                    INSERT INTO relationships (partition_id, exchanges, total_exchanges, days, last_day, day_exchanges, first_at, last_at)
                    VALUES ($partition, 1, 1, 1, $day, 1, $at, $at)
                    ON CONFLICT (partition_id) DO UPDATE SET
                        exchanges = exchanges + CASE WHEN excluded.last_day > last_day OR day_exchanges < $cap THEN 1 ELSE 0 END,
                        total_exchanges = total_exchanges + 1,
                        days = days + CASE WHEN excluded.last_day > last_day THEN 1 ELSE 0 END,
                        day_exchanges = CASE WHEN excluded.last_day > last_day THEN 1 ELSE day_exchanges + 1 END,
                        last_day = max(last_day, excluded.last_day),
                        first_at = min(first_at, excluded.first_at),
                        last_at = max(last_at, excluded.last_at)
                    RETURNING exchanges, total_exchanges, days, first_at, last_at;
                    """;
                command.Parameters.AddWithValue("$partition", partitionId);
                command.Parameters.AddWithValue("$day", RelationshipRules.DayOf(at));
                command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$cap", RelationshipRules.DailyCap);
                RelationshipStats stats;
                await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                {
                    await reader.ReadAsync(CancellationToken.None);
                    stats = Read(reader);
                }

                await transaction.CommitAsync(CancellationToken.None);
                return stats;
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "recording an exchange");
        }
    }

    public async ValueTask<bool> DeleteAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    DELETE FROM relationships WHERE partition_id =
                        (SELECT id FROM memory_partitions WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user);
                    """;
                AddPartition(command, partition);
                return await command.ExecuteNonQueryAsync(CancellationToken.None) > 0;
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "deleting a relationship");
        }
    }

    private static RelationshipStats Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt32(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));

    private static void AddPartition(SqliteCommand command, MemoryPartition partition)
    {
        command.Parameters.AddWithValue("$tenant", partition.TenantId);
        command.Parameters.AddWithValue("$bot", partition.BotId);
        command.Parameters.AddWithValue("$user", partition.UserId);
    }
}
