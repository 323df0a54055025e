using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Postgres;

public sealed partial class PostgresMemoryStore : IMemoryCatalog
{
    public async ValueTask<IReadOnlyList<MemoryPartition>> ListPartitionsAsync(string? tenantId = null, string? botId = null, string? userId = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            // COLLATE "C": the same byte order as SQLite's, whatever the database's collation.
            await using var command = _db.DataSource.CreateCommand("""
                SELECT tenant_id, bot_id, user_id FROM memory_partitions
                WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR bot_id = $2) AND ($3::text IS NULL OR user_id = $3)
                ORDER BY tenant_id COLLATE "C", bot_id COLLATE "C", user_id COLLATE "C";
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)botId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
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
            throw _db.Translate(ex, "listing memory partitions");
        }
    }

    public async ValueTask<IReadOnlyList<MemoryRecord>> ListAsync(MemoryPartition partition, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await ReadRecordsAsync(partition, "listing memories", $"""
            SELECT {MemoryRows.Columns} FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
            WHERE {PartitionKey}
            ORDER BY m.occurred_at DESC, m.id DESC LIMIT $4;
            """, p => p.Add(new NpgsqlParameter<int> { TypedValue = limit }), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand("""
                SELECT embedding_model, embedding_dims, COUNT(*) FROM memories
                GROUP BY embedding_model, embedding_dims ORDER BY COUNT(*) DESC, embedding_model;
                """);
            var inventory = new List<EmbeddingInventory>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var model = reader.IsDBNull(0) ? null : new EmbeddingModelId(reader.GetString(0), reader.GetInt32(1));
                inventory.Add(new EmbeddingInventory(model, reader.GetInt64(2)));
            }

            return inventory;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "counting memory vectors");
        }
    }

    /// <summary>
    /// Drops term statistics nothing counts any more (a partition's go with it by cascade). The deleted rows themselves stay
    /// in the table and index files as dead tuples until the operator's <c>VACUUM FULL</c>, as with every PostgreSQL
    /// table (docs/memory.md, "PostgreSQL"); that cannot run inside the engine's transactions.
    /// </summary>
    public async ValueTask PurgeDeletedAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand("DELETE FROM memory_terms WHERE df <= 0;");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "purging memory term statistics");
        }
    }
}
