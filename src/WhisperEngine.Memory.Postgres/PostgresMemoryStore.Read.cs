using Npgsql;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Postgres;

public sealed partial class PostgresMemoryStore
{
    public async ValueTask<IReadOnlyList<MemoryRecord>> GetAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        return await ReadRecordsAsync(partition, "reading memories", $"""
            SELECT {MemoryRows.Columns} FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
            WHERE {PartitionKey} AND m.id = ANY($4);
            """, p => p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] }), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryRecord>> GetNeedingEmbeddingAsync(MemoryPartition partition, EmbeddingModelId model, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return await ReadRecordsAsync(partition, "finding memories to re-embed", $"""
            SELECT {MemoryRows.Columns} FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
            WHERE {PartitionKey} AND (m.embedding IS NULL OR m.embedding_model <> $4 OR m.embedding_dims <> $5)
            ORDER BY m.id LIMIT $6;
            """, p =>
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = model.Model });
                p.Add(new NpgsqlParameter<int> { TypedValue = model.Dimensions });
                p.Add(new NpgsqlParameter<int> { TypedValue = limit });
            }, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryVectorEntry>> GetVectorsAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT m.id, m.channel_id, m.privacy, m.embedding FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
                WHERE {PartitionKey} AND m.embedding_model = $4 AND m.embedding_dims = $5
                ORDER BY m.id;
                """);
            AddPartition(command, partition);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model.Model });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = model.Dimensions });
            var entries = new List<MemoryVectorEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Columns in order: reading an earlier column after opening the vector's stream would close it.
                var (id, channel, privacy) = (reader.GetInt64(0), reader.GetString(1), (PrivacyLevel)reader.GetInt16(2));
                await using var vector = await reader.GetStreamAsync(3, cancellationToken);
                entries.Add(new MemoryVectorEntry(id, channel, privacy, VectorBytes.Read(vector, model.Dimensions)));
            }

            return entries;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "loading memory vectors");
        }
    }

    public async ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand($"""
                SELECT m.embedding_model, m.embedding_dims, COUNT(*) FROM memories m JOIN memory_partitions p ON p.id = m.partition_id
                WHERE {PartitionKey}
                GROUP BY m.embedding_model, m.embedding_dims ORDER BY COUNT(*) DESC, m.embedding_model;
                """);
            AddPartition(command, partition);
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

    public async ValueTask<long> CountAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            // One index range of the primary key (memory_count is kept only while the keyword search runs in the store).
            await using var command = _db.DataSource.CreateCommand(
                $"SELECT count(*) FROM memories m JOIN memory_partitions p ON p.id = m.partition_id WHERE {PartitionKey};");
            AddPartition(command, partition);
            return await command.ExecuteScalarAsync(cancellationToken) is long count ? count : 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "counting memories");
        }
    }

    private async ValueTask<IReadOnlyList<MemoryRecord>> ReadRecordsAsync(MemoryPartition partition, string operation, string sql,
        Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand(sql);
            AddPartition(command, partition);
            parameters(command.Parameters);
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
            throw _db.Translate(ex, operation);
        }
    }
}
