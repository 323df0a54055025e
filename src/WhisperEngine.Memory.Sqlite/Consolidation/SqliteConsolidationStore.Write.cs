using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Sqlite.Consolidation;

public sealed partial class SqliteConsolidationStore
{
    public async ValueTask<long?> BeginAsync(MemoryPartition partition, ConsolidationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(start);
        if (start.SourceIds.Count == 0 || string.IsNullOrWhiteSpace(start.Summary) || start.SourceImportanceFactor is < 0 or > 1)
        {
            throw new ArgumentException("A consolidation needs sources, a summary and an importance factor from 0 to 1.", nameof(start));
        }

        var ids = "[" + string.Join(',', start.SourceIds.Distinct()) + "]";
        return await WriteAsync(partition, "recording a consolidation", async (command, partitionId, now) =>
        {
            command.CommandText = $"""
                SELECT COUNT(*) FROM memories m
                WHERE m.partition_id = $partition AND m.id IN (SELECT value FROM json_each($ids)) AND {Unconsolidated};
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            command.Parameters.AddWithValue("$ids", ids);
            var available = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
            if (available != start.SourceIds.Distinct().Count())
            {
                return ((long?)null, false);
            }

            command.CommandText = """
                INSERT INTO memory_consolidations (partition_id, channel_id, privacy, day, summary, occurred_at, created_at)
                VALUES ($partition, $channel, $privacy, $day, $summary, $occurred, $now)
                RETURNING id;
                """;
            var p = command.Parameters;
            p.AddWithValue("$channel", start.ChannelId);
            p.AddWithValue("$privacy", (int)start.Privacy);
            p.AddWithValue("$day", new DateTimeOffset(start.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds());
            p.AddWithValue("$summary", start.Summary);
            p.AddWithValue("$occurred", start.OccurredAt.ToUnixTimeMilliseconds());
            p.AddWithValue("$now", now);
            var id = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;

            command.CommandText = """
                INSERT INTO memory_consolidation_sources (memory_id, consolidation_id) SELECT value, $id FROM json_each($ids);
                UPDATE memories SET importance = importance * $factor WHERE partition_id = $partition AND id IN (SELECT value FROM json_each($ids));
                """;
            p.AddWithValue("$id", id);
            p.AddWithValue("$factor", start.SourceImportanceFactor);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            return ((long?)id, true);
        }, cancellationToken);
    }

    public async ValueTask CompleteAsync(MemoryPartition partition, long consolidationId, long summaryMemoryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await WriteAsync(partition, "completing a consolidation", async (command, partitionId, now) =>
        {
            command.CommandText = """
                UPDATE memory_consolidations SET summary_memory_id = $memory, completed_at = $now
                WHERE id = $id AND partition_id = $partition AND completed_at IS NULL;
                """;
            command.Parameters.AddWithValue("$memory", summaryMemoryId);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$id", consolidationId);
            command.Parameters.AddWithValue("$partition", partitionId);
            return (await command.ExecuteNonQueryAsync(CancellationToken.None), true);
        }, cancellationToken);
    }

    /// <summary>One write transaction (BEGIN IMMEDIATE) under the write lock on an existing partition; default when it has none.</summary>
    private async ValueTask<T?> WriteAsync<T>(MemoryPartition partition, string operation, Func<SqliteCommand, long, long, Task<(T Result, bool Commit)>> write,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT id FROM memory_partitions WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user;";
                command.Parameters.AddWithValue("$tenant", partition.TenantId);
                command.Parameters.AddWithValue("$bot", partition.BotId);
                command.Parameters.AddWithValue("$user", partition.UserId);
                if (await command.ExecuteScalarAsync(CancellationToken.None) is not long partitionId)
                {
                    return default;
                }

                command.Parameters.Clear();
                var (result, commit) = await write(command, partitionId, now);
                if (commit)
                {
                    await transaction.CommitAsync(CancellationToken.None);
                }

                return result;
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, operation);
        }
    }
}
