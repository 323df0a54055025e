using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Postgres;

namespace WhisperEngine.Memory.Postgres;

/// <summary>
/// Memories in PostgreSQL, on the engine's one pooled data source: one row per memory with its vector as float32 bytea
/// tagged with model and dimension, a generated tsvector (text, speaker, context and the partition's own lexeme) under a
/// GIN index, and per-partition term statistics kept by triggers for the keyword ranking.
/// </summary>
/// <remarks>
/// Thread-safe, and safe across processes: every statement names its partition by (tenant, bot, user), so nothing is
/// cached that another process could make stale. Each write is one transaction (a memory that answers another, with that
/// memory's reply), durable when it returns.
/// </remarks>
public sealed partial class PostgresMemoryStore : IMemoryStore
{
    /// <summary>The partition named by parameters $1, $2, $3 (tenant, bot, user).</summary>
    private const string PartitionKey = "p.tenant_id = $1 AND p.bot_id = $2 AND p.user_id = $3";

    private readonly PostgresDatabase _db;
    private readonly TimeProvider _time;

    public PostgresMemoryStore(PostgresDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>Weight of a match in the speaker's name relative to one in the text (as in the SQLite store).</summary>
    internal double SpeakerWeight { get; init; } = 0.5;

    /// <summary>
    /// Weight of a match in the indexing context (the message answered) or the reply (the message that answered it)
    /// relative to one in the text: both are the tsvector's weight C.
    /// </summary>
    internal double ContextWeight { get; init; } = 0.3;

    /// <summary>Memories assumed not to hold a word when its IDF is computed (see <see cref="KeywordQuery.Idf"/>).</summary>
    internal double BackgroundMemories { get; init; } = 100;

    /// <summary>
    /// ts_rank's normalisation flags for each word's rank; 32 (rank / (rank + 1)) came out best on LoCoMo, against 0, 1,
    /// 2, 8, 16 and their sums (docs/memory.md).
    /// </summary>
    internal int RankNormalization { get; init; } = 32;

    /// <summary>
    /// How many memories the rarest words of a query may match before the commoner words stop adding candidates, for a
    /// first search that is often already exact (see <see cref="KeywordSearchAsync"/>).
    /// </summary>
    internal int CandidateBudget { get; init; } = 2_000;

    /// <summary>How many memories the words that bring candidates may match at most, when the first budget was not enough.</summary>
    internal int MaxCandidates { get; init; } = 10_000;

    /// <summary>The partition upsert and the memory insert (CTEs p and m, see <see cref="AddAsync"/>).</summary>
    private const string InsertMemory = InsertMemoryCtes + "\nSELECT id FROM m;";

    /// <summary>As <see cref="InsertMemory"/>, and the reply of the answered memory ($18) set to $17.</summary>
    private const string InsertReplyingMemory = InsertMemoryCtes + """
        ,
        r AS (
            UPDATE memories SET reply = $17 WHERE partition_id = (SELECT id FROM p) AND id = $18)
        SELECT id FROM m;
        """;

    private const string InsertMemoryCtes = """
        WITH p AS (
            INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
            RETURNING id),
        m AS (
            INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, importance,
                token_count, embedding_model, embedding_dims, embedding, emotion)
            SELECT p.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM p
            RETURNING id)
        """;

    public async ValueTask<MemoryRecord> AddAsync(NewMemory memory, int tokenCount, StoredEmbedding? embedding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            // One statement, so one round trip and one transaction: the partition row is created or locked first (the
            // statistics trigger updates it, and a partition delete takes it first too, so concurrent writes and deletes
            // of one partition queue instead of deadlocking), then the memory is inserted and, when it answers another,
            // the answered memory's reply set: its keyword entry gains this memory's words. Another partition's id
            // changes nothing; the new row is not visible to the update (one snapshot), so it cannot answer itself.
            await using var command = _db.DataSource.CreateCommand(memory.InReplyTo is null ? InsertMemory : InsertReplyingMemory);
            AddPartition(command, memory.Partition);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string> { TypedValue = memory.ChannelId });
            p.Add(new NpgsqlParameter<short> { TypedValue = (short)memory.Privacy });
            p.Add(new NpgsqlParameter<string> { TypedValue = memory.Speaker });
            p.Add(new NpgsqlParameter<string> { TypedValue = memory.Text });
            p.Add(new NpgsqlParameter { Value = (object?)memory.Context ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter<long> { TypedValue = memory.OccurredAt.ToUnixTimeMilliseconds() });
            p.Add(new NpgsqlParameter<long> { TypedValue = now });
            p.Add(new NpgsqlParameter<float> { TypedValue = memory.Importance });
            p.Add(new NpgsqlParameter<int> { TypedValue = tokenCount });
            p.Add(new NpgsqlParameter { Value = (object?)embedding?.Model ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            p.Add(new NpgsqlParameter { Value = (object?)embedding?.Dimensions ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            p.Add(new NpgsqlParameter { Value = embedding is null ? DBNull.Value : VectorBytes.ToBytes(embedding.Vector), NpgsqlDbType = NpgsqlDbType.Bytea });
            p.Add(new NpgsqlParameter { Value = (object?)memory.Emotion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            if (memory.InReplyTo is { } answered)
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = MemoryFormatter.EmbeddingText(memory.Speaker, memory.Text) });
                p.Add(new NpgsqlParameter<long> { TypedValue = answered });
            }

            // Once sent, the insert must not be abandoned half-way by a cancelled caller.
            long id;
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                id = reader.GetInt64(0);
            }

            return new MemoryRecord
            {
                Id = id,
                Partition = memory.Partition,
                ChannelId = memory.ChannelId,
                Privacy = memory.Privacy,
                Speaker = memory.Speaker,
                Text = memory.Text,
                Context = memory.Context,
                Emotion = memory.Emotion,
                OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(memory.OccurredAt.ToUnixTimeMilliseconds()),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now),
                Importance = memory.Importance,
                TokenCount = tokenCount,
                EmbeddingModel = embedding?.Model,
                EmbeddingDimensions = embedding?.Dimensions,
            };
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "storing a memory");
        }
    }

    public async ValueTask SetEmbeddingAsync(MemoryPartition partition, long id, StoredEmbedding embedding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        await ExecuteAsync(partition, "re-embedding a memory", $"""
            UPDATE memories m SET embedding_model = $4, embedding_dims = $5, embedding = $6
            FROM memory_partitions p WHERE {PartitionKey} AND m.partition_id = p.id AND m.id = $7;
            """, p =>
            {
                p.Add(new NpgsqlParameter<string> { TypedValue = embedding.Model });
                p.Add(new NpgsqlParameter<int> { TypedValue = embedding.Dimensions });
                p.Add(new NpgsqlParameter<byte[]> { TypedValue = VectorBytes.ToBytes(embedding.Vector), NpgsqlDbType = NpgsqlDbType.Bytea });
                p.Add(new NpgsqlParameter<long> { TypedValue = id });
            });
    }

    public async ValueTask RecordAccessAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await ExecuteAsync(partition, "recording memory access", $"""
            UPDATE memories m SET access_count = m.access_count + 1, last_accessed_at = $4
            FROM memory_partitions p WHERE {PartitionKey} AND m.partition_id = p.id AND m.id = ANY($5);
            """, p =>
            {
                p.Add(new NpgsqlParameter<long> { TypedValue = at.ToUnixTimeMilliseconds() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
            });
    }

    public async ValueTask<int> DeletePartitionAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        // Two statements in one transaction and one round trip. The first locks the partition row, so writers of the
        // partition (which lock it first too) have committed or wait; the second, with a snapshot taken after that,
        // deletes the row (its memories and term statistics follow by cascade at the end of the statement) and counts
        // the memories it takes. A writer that waited creates the partition anew afterwards.
        try
        {
            await using var batch = _db.DataSource.CreateBatch();
            foreach (var sql in new[]
            {
                $"SELECT p.id FROM memory_partitions p WHERE {PartitionKey} FOR UPDATE;",
                $"DELETE FROM memory_partitions p WHERE {PartitionKey} RETURNING (SELECT count(*) FROM memories m WHERE m.partition_id = p.id);",
            })
            {
                var command = new NpgsqlBatchCommand(sql);
                AddPartition(command.Parameters, partition);
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
            await reader.NextResultAsync(CancellationToken.None);
            return await reader.ReadAsync(CancellationToken.None) ? checked((int)reader.GetInt64(0)) : 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "deleting memories");
        }
    }

    private async ValueTask<int> ExecuteAsync(MemoryPartition partition, string operation, string sql, Action<NpgsqlParameterCollection> parameters)
    {
        try
        {
            await using var command = _db.DataSource.CreateCommand(sql);
            AddPartition(command, partition);
            parameters(command.Parameters);
            return await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, operation);
        }
    }

    private static void AddPartition(NpgsqlCommand command, MemoryPartition partition) => AddPartition(command.Parameters, partition);

    /// <summary>The partition as parameters $1, $2, $3 (<see cref="PartitionKey"/>), of a command or of a batch's command.</summary>
    private static void AddPartition(NpgsqlParameterCollection parameters, MemoryPartition partition)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.TenantId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.BotId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = partition.UserId });
    }
}
