using Npgsql;
using NpgsqlTypes;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Postgres;

public sealed partial class PostgresMemoryStore
{
    /// <summary>
    /// Full-text search mirroring the SQLite store's BM25: the query's words are stemmed by PostgreSQL ('english'), each
    /// gets an IDF from the partition's term statistics, words too common to tell anything are dropped, and the memories
    /// of the partition that hold a remaining word in their text or context are ranked by the sum over words of IDF
    /// times ts_rank (a saturating term frequency with the text, speaker and context weighted 1, 0.5 and 0.3).
    /// </summary>
    public async ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        var terms = KeywordTerms.Extract(query);
        if (terms.Count == 0 || limit <= 0)
        {
            return [];
        }

        try
        {
            var (partitionId, informative) = await InformativeLexemesAsync(scope.Partition, terms, cancellationToken);
            if (informative.Count == 0)
            {
                return [];
            }

            // The privacy rule is RecallScope.Allows, written in SQL.
            await using var command = _db.DataSource.CreateCommand("""
                SELECT m.id, s.score
                FROM memories m
                CROSS JOIN LATERAL (
                    SELECT sum(q.idf * ts_rank($3::real[], m.search, q.lexeme::tsquery, $4)) AS score
                    FROM unnest($5::text[], $6::float8[]) AS q(lexeme, idf)) s
                WHERE m.partition_id = $1 AND m.search @@ $2::tsquery
                  AND ($7 = 0 OR m.privacy = 2 OR ($7 = 1 AND m.privacy = 1 AND m.channel_id = $8))
                ORDER BY s.score DESC, m.id
                LIMIT $9;
                """);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
            p.Add(new NpgsqlParameter<string> { TypedValue = KeywordQuery.Match(partitionId, informative.Select(i => i.Lexeme).ToList()) });
            p.Add(new NpgsqlParameter<float[]> { TypedValue = [0f, (float)ContextWeight, (float)SpeakerWeight, 1f] });
            p.Add(new NpgsqlParameter<int> { TypedValue = RankNormalization });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. informative.Select(i => KeywordQuery.Operand(i.Lexeme))] });
            p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. informative.Select(i => i.Idf)] });
            p.Add(new NpgsqlParameter<int> { TypedValue = (int)scope.Privacy });
            p.Add(new NpgsqlParameter<string> { TypedValue = scope.ChannelId });
            p.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var hits = new List<KeywordHit>(Math.Min(limit, 256));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new KeywordHit(reader.GetInt64(0), reader.GetDouble(1)));
            }

            return hits;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "searching memories");
        }
    }

    /// <summary>
    /// The partition's id and the query's lexemes (PostgreSQL's stemming and stop words) that are rare enough in its
    /// texts and contexts to tell memories apart, with their IDF. A word in half the memories or more (the person's own
    /// name, "really") would rank memories by length alone: FTS5 gives it no weight, and it is left out here.
    /// </summary>
    private async ValueTask<(long PartitionId, List<(string Lexeme, double Idf)> Informative)> InformativeLexemesAsync(MemoryPartition partition,
        IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        await using var command = _db.DataSource.CreateCommand($"""
            SELECT p.id, p.memory_count, l.lexeme, COALESCE(t.df, 0)
            FROM memory_partitions p
            CROSS JOIN unnest(tsvector_to_array(to_tsvector('english', $4))) AS l(lexeme)
            LEFT JOIN memory_terms t ON t.partition_id = p.id AND t.lexeme = l.lexeme
            WHERE {PartitionKey};
            """);
        AddPartition(command, partition);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = string.Join(' ', terms), NpgsqlDbType = NpgsqlDbType.Text });
        long partitionId = 0;
        var informative = new List<(string, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partitionId = reader.GetInt64(0);
            var documentFrequency = reader.GetInt32(3);
            var idf = KeywordQuery.Idf(reader.GetInt64(1), documentFrequency, BackgroundMemories);
            if (documentFrequency > 0 && idf > KeywordQuery.MinIdf)
            {
                informative.Add((reader.GetString(2), idf));
            }
        }

        return (partitionId, informative);
    }
}
