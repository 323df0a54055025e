using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite.Consolidation;

/// <summary>Consolidation bookkeeping in the memory database: a row per summary, a link per summarised memory.</summary>
/// <remarks>Thread-safe. Writes are serialised by the database's write lock; each is one transaction.</remarks>
public sealed partial class SqliteConsolidationStore : IConsolidationStore
{
    private const string Unconsolidated = """
        NOT EXISTS (SELECT 1 FROM memory_consolidation_sources s WHERE s.memory_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM memory_consolidations c WHERE c.summary_memory_id = m.id)
        """;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public SqliteConsolidationStore(SqliteDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    public async ValueTask<IReadOnlyList<MemoryRecord>> GetUnconsolidatedAsync(MemoryPartition partition, DateTimeOffset before, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {MemoryRows.Columns}
                FROM memories m
                WHERE m.partition_id = $partition AND m.occurred_at < $before AND {Unconsolidated}
                ORDER BY m.channel_id, m.occurred_at, m.id LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            var records = new List<MemoryRecord>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                records.Add(MemoryRows.Read(r, partition));
            }

            return records;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading memories to consolidate");
        }
    }

    public async ValueTask<IReadOnlyList<MemoryPartition>> GetPartitionsToConsolidateAsync(DateTimeOffset before, int minMemories, int limit,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // A session is a channel's memories of one UTC day (86,400,000 ms).
            command.CommandText = $"""
                SELECT p.tenant_id, p.bot_id, p.user_id FROM memory_partitions p
                WHERE p.id IN (
                    SELECT m.partition_id FROM memories m
                    WHERE m.occurred_at < $before AND {Unconsolidated}
                    GROUP BY m.partition_id, m.channel_id, m.privacy, m.occurred_at / 86400000
                    HAVING COUNT(*) >= $min
                    UNION
                    SELECT partition_id FROM memory_consolidations WHERE completed_at IS NULL)
                ORDER BY p.id LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$min", minMemories);
            command.Parameters.AddWithValue("$limit", limit);
            var partitions = new List<MemoryPartition>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                partitions.Add(new MemoryPartition(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }

            return partitions;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "finding memories to consolidate");
        }
    }

    public async ValueTask<IReadOnlyList<PendingConsolidation>> GetPendingAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            // A summary memory written just before a run stopped is found by its exact text, channel and time, and adopted.
            command.CommandText = """
                SELECT c.id, c.channel_id, c.privacy, c.summary, c.occurred_at,
                    (SELECT m.id FROM memories m
                     WHERE m.partition_id = c.partition_id AND m.channel_id = c.channel_id AND m.occurred_at = c.occurred_at AND m.text = c.summary
                       AND NOT EXISTS (SELECT 1 FROM memory_consolidation_sources s WHERE s.memory_id = m.id)
                     ORDER BY m.id LIMIT 1)
                FROM memory_consolidations c
                WHERE c.partition_id = $partition AND c.completed_at IS NULL
                ORDER BY c.id;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            var pending = new List<PendingConsolidation>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                pending.Add(new PendingConsolidation(r.GetInt64(0), r.GetString(1), (PrivacyLevel)r.GetInt32(2), r.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetInt64(5)));
            }

            return pending;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "reading pending consolidations");
        }
    }

    private static async ValueTask<long?> FindPartitionAsync(SqliteConnection connection, MemoryPartition partition, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM memory_partitions WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user;";
        command.Parameters.AddWithValue("$tenant", partition.TenantId);
        command.Parameters.AddWithValue("$bot", partition.BotId);
        command.Parameters.AddWithValue("$user", partition.UserId);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }
}
