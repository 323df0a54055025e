using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>
/// Memories in SQLite: one row per memory with its vector as a float32 BLOB tagged with model and dimension, and an
/// FTS5 external-content index (porter stemming) kept in step by triggers.
/// </summary>
/// <remarks>Thread-safe. Writes are serialised by the database's write lock; each is its own transaction, durable when it returns.</remarks>
public sealed partial class SqliteMemoryStore : IMemoryStore, IMemoryClusterStore
{
    private const string Columns = """
        m.id, m.channel_id, m.privacy, m.speaker, m.text, m.context, m.occurred_at, m.created_at, m.importance,
        m.access_count, m.last_accessed_at, m.token_count, m.embedding_model, m.embedding_dims, m.reply, m.cluster_id
        """;

    /// <summary>BM25 score below which a hit matched only words too common to mean anything (see <see cref="KeywordSearchAsync"/>).</summary>
    private const double InformativeScore = 1e-4;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly MemoryOptions _options;
    private readonly ConcurrentDictionary<MemoryPartition, long> _partitions = new();

    // Words of the speakers' names per partition id, loaded on a partition's first keyword search and kept by writes.
    private readonly ConcurrentDictionary<long, IReadOnlySet<string>> _speakerNames = new();

    /// <param name="db">The engine's database.</param>
    /// <param name="time">The clock of <c>created_at</c>.</param>
    /// <param name="options">Memory settings (<see cref="MemoryOptions.SpeakerNamesAsKeywords"/>); the defaults when null.</param>
    public SqliteMemoryStore(SqliteDatabase db, TimeProvider time, MemoryOptions? options = null)
    {
        _db = db;
        _time = time;
        _options = options ?? new MemoryOptions();
    }

    /// <summary>Weight of a match in the speaker's name relative to one in the text (BM25 column weight).</summary>
    internal double SpeakerWeight { get; init; } = 0.5;

    /// <summary>Weight of a match in the indexing context (the message answered) relative to one in the text.</summary>
    internal double ContextWeight { get; init; } = 0.3;

    /// <summary>Names of the partition's speakers in a query only boost that speaker's memories (see <see cref="Fts5Query.Build"/>).</summary>
    private bool SpeakerNamesAsBoost => !_options.SpeakerNamesAsKeywords;

    /// <summary>Weight of a match in the reply (the message that answered it) relative to one in the text.</summary>
    internal double ReplyWeight { get; init; } = 0.3;

    public async ValueTask<MemoryRecord> AddAsync(NewMemory memory, int tokenCount, StoredEmbedding? embedding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                var partitionId = await GetOrCreatePartitionAsync(connection, memory.Partition, cancellationToken);
                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO memories (partition_id, channel_id, privacy, speaker, text, context, occurred_at, created_at, importance,
                        token_count, embedding_model, embedding_dims, embedding)
                    VALUES ($partition, $channel, $privacy, $speaker, $text, $context, $occurred, $now, $importance,
                        $tokens, $model, $dims, $embedding)
                    RETURNING id;
                    """;
                var p = command.Parameters;
                p.AddWithValue("$partition", partitionId);
                p.AddWithValue("$channel", memory.ChannelId);
                p.AddWithValue("$privacy", (int)memory.Privacy);
                p.AddWithValue("$speaker", memory.Speaker);
                p.AddWithValue("$text", memory.Text);
                p.AddWithValue("$context", (object?)memory.Context ?? DBNull.Value);
                p.AddWithValue("$occurred", memory.OccurredAt.ToUnixTimeMilliseconds());
                p.AddWithValue("$now", now);
                p.AddWithValue("$importance", memory.Importance);
                p.AddWithValue("$tokens", tokenCount);
                p.AddWithValue("$model", (object?)embedding?.Model ?? DBNull.Value);
                p.AddWithValue("$dims", (object?)embedding?.Dimensions ?? DBNull.Value);
                p.AddWithValue("$embedding", embedding is null ? DBNull.Value : VectorBlob.ToBytes(embedding.Vector));
                var id = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                if (memory.InReplyTo is { } answered)
                {
                    // The answered memory's keyword entry gains this memory's words (the FTS update trigger re-indexes it).
                    await using var reply = connection.CreateCommand();
                    reply.Transaction = transaction;
                    reply.CommandText = "UPDATE memories SET reply = $reply WHERE id = $answered AND partition_id = $partition AND id <> $id;";
                    reply.Parameters.AddWithValue("$reply", MemoryFormatter.EmbeddingText(memory.Speaker, memory.Text));
                    reply.Parameters.AddWithValue("$answered", answered);
                    reply.Parameters.AddWithValue("$partition", partitionId);
                    reply.Parameters.AddWithValue("$id", id);
                    await reply.ExecuteNonQueryAsync(CancellationToken.None);
                }

                await transaction.CommitAsync(CancellationToken.None);
                if (_speakerNames.TryGetValue(partitionId, out var names))
                {
                    var words = KeywordTerms.Extract(memory.Speaker);
                    if (!words.All(names.Contains))
                    {
                        _speakerNames[partitionId] = names.Union(words).ToHashSet(StringComparer.Ordinal);
                    }
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
                    OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(memory.OccurredAt.ToUnixTimeMilliseconds()),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now),
                    Importance = memory.Importance,
                    TokenCount = tokenCount,
                    EmbeddingModel = embedding?.Model,
                    EmbeddingDimensions = embedding?.Dimensions,
                };
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "storing a memory");
        }
    }

    public async ValueTask SetEmbeddingAsync(MemoryPartition partition, long id, StoredEmbedding embedding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        await WriteAsync(partition, "re-embedding a memory", async (command, partitionId) =>
        {
            command.CommandText = """
                UPDATE memories SET embedding_model = $model, embedding_dims = $dims, embedding = $embedding
                WHERE id = $id AND partition_id = $partition;
                """;
            command.Parameters.AddWithValue("$model", embedding.Model);
            command.Parameters.AddWithValue("$dims", embedding.Dimensions);
            command.Parameters.AddWithValue("$embedding", VectorBlob.ToBytes(embedding.Vector));
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$partition", partitionId);
            return await command.ExecuteNonQueryAsync(CancellationToken.None);
        }, cancellationToken);
    }

    public async ValueTask RecordAccessAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await WriteAsync(partition, "recording memory access", async (command, partitionId) =>
        {
            command.CommandText = """
                UPDATE memories SET access_count = access_count + 1, last_accessed_at = $at
                WHERE partition_id = $partition AND id IN (SELECT value FROM json_each($ids));
                """;
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$partition", partitionId);
            command.Parameters.AddWithValue("$ids", IdsJson(ids));
            return await command.ExecuteNonQueryAsync(CancellationToken.None);
        }, cancellationToken);
    }

    public async ValueTask<int> DeletePartitionAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        var deleted = await WriteAsync(partition, "deleting memories", async (command, partitionId) =>
        {
            command.CommandText = "DELETE FROM memories WHERE partition_id = $partition;";
            command.Parameters.AddWithValue("$partition", partitionId);
            var count = await command.ExecuteNonQueryAsync(CancellationToken.None);
            command.CommandText = "DELETE FROM memory_partitions WHERE id = $partition;";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            return count;
        }, cancellationToken);
        if (_partitions.TryRemove(partition, out var removedId))
        {
            _speakerNames.TryRemove(removedId, out _);
        }

        return deleted;
    }

    /// <summary>Runs one write on an existing partition in a transaction; does nothing (returns 0) when the partition has never been written.</summary>
    private async ValueTask<int> WriteAsync(MemoryPartition partition, string operation, Func<SqliteCommand, long, Task<int>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
                {
                    return 0;
                }

                await using var transaction = connection.BeginTransaction();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var result = await write(command, partitionId);
                await transaction.CommitAsync(CancellationToken.None);
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

    private async ValueTask<long> GetOrCreatePartitionAsync(SqliteConnection connection, MemoryPartition partition, CancellationToken cancellationToken)
    {
        if (await FindPartitionAsync(connection, partition, cancellationToken) is { } existing)
        {
            return existing;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($tenant, $bot, $user)
            ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = excluded.tenant_id
            RETURNING id;
            """;
        AddPartition(command, partition);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return _partitions.GetOrAdd(partition, id);
    }

    private async ValueTask<long?> FindPartitionAsync(SqliteConnection connection, MemoryPartition partition, CancellationToken cancellationToken)
    {
        if (_partitions.TryGetValue(partition, out var cached))
        {
            return cached;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM memory_partitions WHERE tenant_id = $tenant AND bot_id = $bot AND user_id = $user;";
        AddPartition(command, partition);
        if (await command.ExecuteScalarAsync(cancellationToken) is long id)
        {
            return _partitions.GetOrAdd(partition, id);
        }

        return null;
    }

    private static void AddPartition(SqliteCommand command, MemoryPartition partition)
    {
        command.Parameters.AddWithValue("$tenant", partition.TenantId);
        command.Parameters.AddWithValue("$bot", partition.BotId);
        command.Parameters.AddWithValue("$user", partition.UserId);
    }

    private static string IdsJson(IReadOnlyCollection<long> ids) => "[" + string.Join(',', ids) + "]";
}
