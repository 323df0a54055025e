using Npgsql;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Postgres.Consolidation;

public sealed partial class PostgresConsolidationStore
{
    public async ValueTask<long?> BeginAsync(MemoryPartition partition, ConsolidationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(start);
        if (start.SourceIds.Count == 0 || string.IsNullOrWhiteSpace(start.Summary) || start.SourceImportanceFactor is < 0 or > 1)
        {
            throw new ArgumentException("A consolidation needs sources, a summary and an importance factor from 0 to 1.", nameof(start));
        }

        var ids = start.SourceIds.Distinct().ToArray();
        return await WriteAsync(partition, "recording a consolidation", async (connection, partitionId, now) =>
        {
            await using (var count = new NpgsqlCommand($"SELECT COUNT(*) FROM memories m WHERE m.partition_id = $1 AND m.id = ANY($2) AND {Unconsolidated};",
                connection))
            {
                count.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
                count.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
                if ((long)(await count.ExecuteScalarAsync(CancellationToken.None))! != ids.Length)
                {
                    return ((long?)null, false);
                }
            }

            // One statement: the consolidation, its links, and the sources' lower importance.
            await using var insert = new NpgsqlCommand("""
                WITH c AS (
                    INSERT INTO memory_consolidations (partition_id, channel_id, privacy, day, summary, occurred_at, created_at)
                    VALUES ($1, $3, $4, $5, $6, $7, $8)
                    RETURNING id),
                links AS (
                    INSERT INTO memory_consolidation_sources (partition_id, memory_id, consolidation_id)
                    SELECT $1, s.id, c.id FROM c, unnest($2::bigint[]) AS s(id)),
                lowered AS (
                    UPDATE memories SET importance = importance * $9 WHERE partition_id = $1 AND id = ANY($2))
                SELECT id FROM c;
                """, connection);
            var p = insert.Parameters;
            p.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
            p.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
            p.Add(new NpgsqlParameter<string> { TypedValue = start.ChannelId });
            p.Add(new NpgsqlParameter<short> { TypedValue = (short)start.Privacy });
            p.Add(new NpgsqlParameter<long> { TypedValue = new DateTimeOffset(start.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() });
            p.Add(new NpgsqlParameter<string> { TypedValue = start.Summary });
            p.Add(new NpgsqlParameter<long> { TypedValue = start.OccurredAt.ToUnixTimeMilliseconds() });
            p.Add(new NpgsqlParameter<long> { TypedValue = now });
            p.Add(new NpgsqlParameter<float> { TypedValue = start.SourceImportanceFactor });
            var id = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
            return ((long?)id, true);
        }, cancellationToken);
    }

    public async ValueTask CompleteAsync(MemoryPartition partition, long consolidationId, long summaryMemoryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await WriteAsync(partition, "completing a consolidation", async (connection, partitionId, now) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE memory_consolidations SET summary_memory_id = $1, completed_at = $2
                WHERE id = $3 AND partition_id = $4 AND completed_at IS NULL;
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = summaryMemoryId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = consolidationId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
            return (await command.ExecuteNonQueryAsync(CancellationToken.None), true);
        }, cancellationToken);
    }

    /// <summary>
    /// One write transaction on an existing partition, its row locked first (in the order memory writes and partition
    /// deletes take it); default when the partition does not exist.
    /// </summary>
    private async ValueTask<T?> WriteAsync<T>(MemoryPartition partition, string operation, Func<NpgsqlConnection, long, long, Task<(T Result, bool Commit)>> write,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _db.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long partitionId;
            await using (var find = new NpgsqlCommand($"SELECT p.id FROM memory_partitions p WHERE {PartitionKey} FOR UPDATE;", connection))
            {
                AddPartition(find, partition);
                if (await find.ExecuteScalarAsync(cancellationToken) is not long id)
                {
                    return default;
                }

                partitionId = id;
            }

            var (result, commit) = await write(connection, partitionId, now);
            if (commit)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }

            return result;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, operation);
        }
    }
}
