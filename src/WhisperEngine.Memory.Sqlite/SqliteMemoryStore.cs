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
    /// <summary>BM25 score below which a hit matched only words too common to mean anything (see <see cref="KeywordSearchAsync"/>).</summary>
    private const double InformativeScore = 1e-4;

    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;
    private readonly MemoryOptions _options;
    private readonly ConcurrentDictionary<MemoryPartition, long> _partitions = new();

    // Words of the speakers' names per partition id, loaded on a partition's first keyword search and kept by writes.
    private readonly ConcurrentDictionary<long, IReadOnlySet<string>> _speakerNames = new();

    // Size and word frequencies per partition id, for the keyword search of large partitions (see CommonTermsAsync).
    private readonly ConcurrentDictionary<long, KeywordTermStats> _termStats = new();

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
        var records = await AddManyAsync([(memory, tokenCount, embedding)], cancellationToken);
        return records[0];
    }

    /// <summary>Stores the memories in one transaction with one prepared statement.</summary>
    public async ValueTask<IReadOnlyList<MemoryRecord>> AddManyAsync(IReadOnlyList<(NewMemory Memory, int TokenCount, StoredEmbedding? Embedding)> memories,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memories);
        if (memories.Count == 0)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        List<MemoryPartition> created = [];
        var committed = false;
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                // One statement is a transaction of its own; several (a batch, or a memory that answers another) share one.
                var needsTransaction = memories.Count > 1 || memories[0].Memory?.InReplyTo is not null;
                await using var transaction = needsTransaction ? connection.BeginTransaction() : null;
                await using var insert = new MemoryInsert(connection, transaction, now);
                var records = new MemoryRecord[memories.Count];
                for (var i = 0; i < memories.Count; i++)
                {
                    var (memory, tokenCount, embedding) = memories[i];
                    ArgumentNullException.ThrowIfNull(memory);
                    var partitionId = await GetOrCreatePartitionAsync(connection, transaction, memory.Partition, created, cancellationToken);
                    records[i] = await insert.ExecuteAsync(partitionId, memory, tokenCount, embedding);
                    if (memory.InReplyTo is { } answered)
                    {
                        // The answered memory's keyword entry gains this memory's words (the FTS update trigger re-indexes it).
                        await using var reply = connection.CreateCommand();
                        reply.Transaction = transaction;
                        reply.CommandText = "UPDATE memories SET reply = $reply WHERE id = $answered AND partition_id = $partition AND id <> $id;";
                        reply.Parameters.AddWithValue("$reply", MemoryFormatter.EmbeddingText(memory.Speaker, memory.Text));
                        reply.Parameters.AddWithValue("$answered", answered);
                        reply.Parameters.AddWithValue("$partition", partitionId);
                        reply.Parameters.AddWithValue("$id", records[i].Id);
                        await reply.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }

                if (transaction is not null)
                {
                    await transaction.CommitAsync(CancellationToken.None);
                }

                committed = true;
                foreach (var record in records)
                {
                    RememberSpeaker(record);
                }

                return records;
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
        finally
        {
            if (!committed)
            {
                // A partition row created in a rolled-back transaction does not exist: forget its cached id.
                foreach (var partition in created)
                {
                    _partitions.TryRemove(partition, out _);
                }
            }
        }
    }

    /// <summary>Keeps the loaded speaker names of the record's partition in step with a new speaker, and counts the write for its word statistics.</summary>
    private void RememberSpeaker(MemoryRecord record)
    {
        if (_partitions.TryGetValue(record.Partition, out var written) && _termStats.TryGetValue(written, out var stats))
        {
            stats.OnWritten(1);
        }

        if (_partitions.TryGetValue(record.Partition, out var partitionId) && _speakerNames.TryGetValue(partitionId, out var names))
        {
            var words = KeywordTerms.Extract(record.Speaker);
            if (!words.All(names.Contains))
            {
                _speakerNames[partitionId] = names.Union(words).ToHashSet(StringComparer.Ordinal);
            }
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
            // Still under the write lock: a writer waiting for it must not insert under the deleted partition's cached id.
            _partitions.TryRemove(partition, out _);
            _speakerNames.TryRemove(partitionId, out _);
            _termStats.TryRemove(partitionId, out _);
            return count;
        }, cancellationToken);
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

    private async ValueTask<long> GetOrCreatePartitionAsync(SqliteConnection connection, SqliteTransaction? transaction, MemoryPartition partition,
        List<MemoryPartition> created, CancellationToken cancellationToken)
    {
        if (_partitions.TryGetValue(partition, out var cached))
        {
            return cached;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO memory_partitions (tenant_id, bot_id, user_id) VALUES ($tenant, $bot, $user)
            ON CONFLICT (tenant_id, bot_id, user_id) DO UPDATE SET tenant_id = excluded.tenant_id
            RETURNING id;
            """;
        AddPartition(command, partition);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        created.Add(partition);
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
