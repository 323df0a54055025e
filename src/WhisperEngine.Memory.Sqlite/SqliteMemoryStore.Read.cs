using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Sqlite;

public sealed partial class SqliteMemoryStore
{
    public async ValueTask<IReadOnlyList<MemoryRecord>> GetAsync(MemoryPartition partition, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        return await ReadRecordsAsync(partition, "reading memories", $"""
            SELECT {MemoryRows.Columns} FROM memories m
            WHERE m.partition_id = $partition AND m.id IN (SELECT value FROM json_each($ids));
            """, command => command.Parameters.AddWithValue("$ids", IdsJson(ids)), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryRecord>> GetNeedingEmbeddingAsync(MemoryPartition partition, EmbeddingModelId model, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return await ReadRecordsAsync(partition, "finding memories to re-embed", $"""
            SELECT {MemoryRows.Columns} FROM memories m
            WHERE m.partition_id = $partition
              AND (m.embedding IS NULL OR m.embedding_model <> $model OR m.embedding_dims <> $dims)
            ORDER BY m.id LIMIT $limit;
            """, command =>
            {
                command.Parameters.AddWithValue("$model", model.Model);
                command.Parameters.AddWithValue("$dims", model.Dimensions);
                command.Parameters.AddWithValue("$limit", limit);
            }, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MemoryVectorEntry>> GetVectorsAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, channel_id, privacy, embedding FROM memories
                WHERE partition_id = $partition AND embedding_model = $model AND embedding_dims = $dims
                ORDER BY id;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
            command.Parameters.AddWithValue("$model", model.Model);
            command.Parameters.AddWithValue("$dims", model.Dimensions);
            var entries = new List<MemoryVectorEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new MemoryVectorEntry(reader.GetInt64(0), reader.GetString(1), (PrivacyLevel)reader.GetInt32(2),
                    VectorBlob.FromBytes(reader.GetFieldValue<byte[]>(3))));
            }

            return entries;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "loading memory vectors");
        }
    }

    public async ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, scope.Partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            var names = SpeakerNamesAsBoost ? await SpeakerNamesAsync(connection, partitionId, cancellationToken) : null;
            var scoreOnly = await CommonTermsAsync(connection, partitionId, query, names, cancellationToken);
            if (Fts5Query.Build(partitionId, query, names, scoreOnly) is not { } match)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            // bm25() is lower for better matches. The MATCH holds the partition's own term, so a direct message (which
            // may see all of the partition) needs nothing from the memories table: joining it reads every matching row
            // (with its vector) before the LIMIT, five times the cost at 100,000 memories. Elsewhere the privacy rule is
            // RecallScope.Allows, written in SQL.
            command.CommandText = scope.Privacy == PrivacyLevel.DirectMessage
                ? """
                    SELECT rowid, bm25(memories_fts, 0.0, $speakerWeight, 1.0, $contextWeight, $replyWeight) AS rank
                    FROM memories_fts WHERE memories_fts MATCH $match
                    ORDER BY rank LIMIT $limit;
                    """
                : """
                    SELECT m.id, bm25(memories_fts, 0.0, $speakerWeight, 1.0, $contextWeight, $replyWeight) AS rank
                    FROM memories_fts JOIN memories m ON m.id = memories_fts.rowid
                    WHERE memories_fts MATCH $match AND m.partition_id = $partition
                      AND ($scope = 0 OR m.privacy = 2 OR ($scope = 1 AND m.privacy = 1 AND m.channel_id = $channel))
                    ORDER BY rank LIMIT $limit;
                    """;
            var p = command.Parameters;
            p.AddWithValue("$match", match);
            p.AddWithValue("$partition", partitionId);
            p.AddWithValue("$scope", (int)scope.Privacy);
            p.AddWithValue("$channel", scope.ChannelId);
            p.AddWithValue("$limit", limit);
            p.AddWithValue("$speakerWeight", SpeakerWeight);
            p.AddWithValue("$contextWeight", ContextWeight);
            p.AddWithValue("$replyWeight", ReplyWeight);
            var hits = new List<KeywordHit>(Math.Min(limit, 256));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // FTS5 floors the IDF of a word found in half the memories or more at 1e-6. A hit on such words only
                // (the person's own name, "really") tells nothing and would rank memories by length alone.
                var score = -reader.GetDouble(1);
                if (score >= InformativeScore)
                {
                    hits.Add(new KeywordHit(reader.GetInt64(0), score));
                }
            }

            return hits;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "searching memories");
        }
    }

    /// <summary>
    /// In a partition larger than <see cref="MemoryOptions.KeywordRowBudget"/>, the query's words that only add to the
    /// score of memories found by the others: the most common ones, beyond the rarest words that together are found in
    /// at most that many memories (words up to the rarest one found at all always find). FTS5 computes BM25 for every
    /// memory holding any word of the MATCH before the LIMIT, so an everyday word in a fifth of 100,000 memories costs
    /// more than all the rest of a search, while the top ranks hold the rarer words anyway. Null when every word finds.
    /// </summary>
    private async ValueTask<IReadOnlySet<string>?> CommonTermsAsync(SqliteConnection connection, long partitionId, string query,
        IReadOnlySet<string>? names, CancellationToken cancellationToken)
    {
        var budget = _options.KeywordRowBudget;
        if (budget <= 0)
        {
            return null;
        }

        var content = KeywordTerms.Extract(query).Where(t => names is null || !names.Contains(t)).ToList();
        if (content.Count < 2)
        {
            return null;
        }

        var stats = await TermStatsAsync(connection, partitionId, cancellationToken);
        if (stats.Size <= budget)
        {
            return null;
        }

        var frequencies = new List<(string Term, long Memories, int Position)>(content.Count);
        for (var i = 0; i < content.Count; i++)
        {
            var term = content[i];
            if (!stats.TryGet(term, out var memories))
            {
                await using var count = connection.CreateCommand();
                count.CommandText = "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH $match;";
                count.Parameters.AddWithValue("$match", Fts5Query.Term(partitionId, term));
                memories = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                stats.Set(term, memories);
            }

            frequencies.Add((term, memories, i));
        }

        HashSet<string>? scoreOnly = null;
        long kept = 0;
        foreach (var (term, memories, _) in frequencies.OrderBy(f => f.Memories).ThenBy(f => f.Position))
        {
            if (kept > 0 && kept + memories > budget)
            {
                (scoreOnly ??= new HashSet<string>(StringComparer.Ordinal)).Add(term);
            }
            else
            {
                kept += memories;
            }
        }

        return scoreOnly;
    }

    private async ValueTask<KeywordTermStats> TermStatsAsync(SqliteConnection connection, long partitionId, CancellationToken cancellationToken)
    {
        if (_termStats.TryGetValue(partitionId, out var stats) && !stats.IsStale)
        {
            return stats;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM memories WHERE partition_id = $partition;";
        command.Parameters.AddWithValue("$partition", partitionId);
        stats = new KeywordTermStats((long)(await command.ExecuteScalarAsync(cancellationToken))!);
        _termStats[partitionId] = stats;
        return stats;
    }

    private async ValueTask<IReadOnlySet<string>> SpeakerNamesAsync(SqliteConnection connection, long partitionId, CancellationToken cancellationToken)
    {
        if (_speakerNames.TryGetValue(partitionId, out var cached))
        {
            return cached;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT speaker FROM memories WHERE partition_id = $partition;";
        command.Parameters.AddWithValue("$partition", partitionId);
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.UnionWith(KeywordTerms.Extract(reader.GetString(0)));
        }

        // A write that raced this load may have added a speaker: it updates the entry only once it exists, so merge.
        return _speakerNames.AddOrUpdate(partitionId, names, (_, existing) => existing.Union(names).ToHashSet(StringComparer.Ordinal));
    }

    public async ValueTask<IReadOnlyList<EmbeddingInventory>> GetEmbeddingInventoryAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT embedding_model, embedding_dims, COUNT(*) FROM memories WHERE partition_id = $partition
                GROUP BY embedding_model, embedding_dims ORDER BY COUNT(*) DESC;
                """;
            command.Parameters.AddWithValue("$partition", partitionId);
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

    public async ValueTask<long> CountAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return 0;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM memories WHERE partition_id = $partition;";
            command.Parameters.AddWithValue("$partition", partitionId);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "counting memories");
        }
    }

    private async ValueTask<IReadOnlyList<MemoryRecord>> ReadRecordsAsync(MemoryPartition partition, string operation, string sql,
        Action<SqliteCommand> parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            if (await FindPartitionAsync(connection, partition, cancellationToken) is not { } partitionId)
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$partition", partitionId);
            parameters(command);
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
            throw _db.Translate(ex, operation);
        }
    }
}
