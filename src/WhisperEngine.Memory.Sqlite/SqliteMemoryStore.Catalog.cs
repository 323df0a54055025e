using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Sqlite;

public sealed partial class SqliteMemoryStore : IMemoryCatalog
{
    public async ValueTask<IReadOnlyList<MemoryPartition>> ListPartitionsAsync(string? tenantId = null, string? botId = null, string? userId = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT tenant_id, bot_id, user_id FROM memory_partitions
                WHERE ($tenant IS NULL OR tenant_id = $tenant) AND ($bot IS NULL OR bot_id = $bot) AND ($user IS NULL OR user_id = $user)
                ORDER BY tenant_id, bot_id, user_id;
                """;
            command.Parameters.AddWithValue("$tenant", (object?)tenantId ?? DBNull.Value);
            command.Parameters.AddWithValue("$bot", (object?)botId ?? DBNull.Value);
            command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
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
            throw _db.Translate(ex, "listing memory partitions");
        }
    }

    public async ValueTask<IReadOnlyList<MemoryRecord>> ListAsync(MemoryPartition partition, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await ReadRecordsAsync(partition, "listing memories", $"""
            SELECT {MemoryRows.Columns} FROM memories m WHERE m.partition_id = $partition
            ORDER BY m.occurred_at DESC, m.id DESC LIMIT $limit;
            """, command => command.Parameters.AddWithValue("$limit", limit), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT embedding_model, embedding_dims, COUNT(*) FROM memories
                GROUP BY embedding_model, embedding_dims ORDER BY COUNT(*) DESC;
                """;
            var inventory = new List<EmbeddingInventory>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var model = reader.IsDBNull(0) ? null : new EmbeddingModelId(reader.GetString(0), reader.GetInt32(1));
                inventory.Add(new EmbeddingInventory(model, reader.GetInt64(2)));
            }

            return inventory;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "counting memory vectors");
        }
    }

    public async ValueTask PurgeDeletedAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // 'optimize' merges every FTS5 segment into one, dropping the entries of deleted rows; with secure_delete on,
            // the replaced segments are zeroed where they lay.
            await using var connection = await _db.OpenForErasureAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO memories_fts (memories_fts) VALUES ('optimize');";
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "purging the keyword index");
        }
    }
}
