using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres.Consolidation;

/// <summary>Consolidation bookkeeping beside the PostgreSQL memory store: a row per summary, a link per summarised memory.</summary>
/// <remarks>
/// Thread-safe, and safe across processes: a write locks the partition's row first (as memory writes and a partition
/// delete do), so two consolidations of one partition queue and a memory is linked at most once.
/// </remarks>
public sealed partial class PostgresConsolidationStore : IConsolidationStore
{
    private const string Unconsolidated = """
        NOT EXISTS (SELECT 1 FROM memory_consolidation_sources s WHERE s.partition_id = m.partition_id AND s.memory_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM memory_consolidations c WHERE c.partition_id = m.partition_id AND c.summary_memory_id = m.id)
        """;

    /// <summary>The partition named by parameters $1, $2, $3 (tenant, bot, user).</summary>
    private const string PartitionKey = "p.tenant_id = $1 AND p.bot_id = $2 AND p.user_id = $3";

    private readonly PostgresDatabase _db;
    private readonly TimeProvider _time;

    public PostgresConsolidationStore(PostgresDatabase db, TimeProvider time)
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
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT {MemoryRows.Columns}
                FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
                WHERE {PartitionKey} AND m.occurred_at < $4 AND {Unconsolidated}
                ORDER BY m.channel_id COLLATE "C", m.occurred_at, m.id LIMIT $5;
                """);
            AddPartition(command, partition);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var records = new List<MemoryRecord>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                records.Add(MemoryRows.Read(r, partition));
            }

            return records;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading memories to consolidate");
        }
    }

    public async ValueTask<IReadOnlyList<MemoryPartition>> GetPartitionsToConsolidateAsync(DateTimeOffset before, int minMemories, int limit,
        CancellationToken cancellationToken = default)
    {
        try
        {
            // A session is a channel's memories of one UTC day (86,400,000 ms).
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT p.tenant_id, p.bot_id, p.user_id FROM memory_partitions p
                WHERE p.id IN (
                    SELECT m.partition_id FROM memories m
                    WHERE m.occurred_at < $1 AND {Unconsolidated}
                    GROUP BY m.partition_id, m.channel_id, m.privacy, m.occurred_at / 86400000
                    HAVING COUNT(*) >= $2
                    UNION
                    SELECT partition_id FROM memory_consolidations WHERE completed_at IS NULL)
                ORDER BY p.id LIMIT $3;
                """);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = minMemories });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var partitions = new List<MemoryPartition>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                partitions.Add(new MemoryPartition(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }

            return partitions;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "finding memories to consolidate");
        }
    }

    public async ValueTask<IReadOnlyList<PendingConsolidation>> GetPendingAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            // A summary memory written just before a run stopped is found by its exact text, channel and time, and adopted.
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT c.id, c.channel_id, c.privacy, c.summary, c.occurred_at,
                    (SELECT m.id FROM memories m
                     WHERE m.partition_id = c.partition_id AND m.channel_id = c.channel_id AND m.occurred_at = c.occurred_at AND m.text = c.summary
                       AND NOT EXISTS (SELECT 1 FROM memory_consolidation_sources s WHERE s.partition_id = m.partition_id AND s.memory_id = m.id)
                     ORDER BY m.id LIMIT 1)
                FROM memory_consolidations c JOIN memory_partitions p ON p.id = c.partition_id
                WHERE {PartitionKey} AND c.completed_at IS NULL
                ORDER BY c.id;
                """);
            AddPartition(command, partition);
            var pending = new List<PendingConsolidation>();
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                pending.Add(new PendingConsolidation(r.GetInt64(0), r.GetString(1), (PrivacyLevel)r.GetInt16(2), r.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetInt64(5)));
            }

            return pending;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "reading pending consolidations");
        }
    }

    private static void AddPartition(NpgsqlCommand command, MemoryPartition partition)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.BotId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.UserId });
    }
}
