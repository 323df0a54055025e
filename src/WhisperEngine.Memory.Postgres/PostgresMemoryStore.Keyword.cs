using System.Globalization;
using System.Text;
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
    /// of the partition that hold a remaining word in their text, context or reply are ranked by the sum over words of IDF
    /// times ts_rank (a saturating term frequency with the text, speaker, and context and reply weighted 1, 0.5 and 0.3:
    /// the context and the reply share the tsvector's weight C, as they share bm25's weight 0.3 in the SQLite store).
    /// </summary>
    /// <remarks>
    /// Ranking every memory that holds a common word costs milliseconds per thousand candidates, so the candidates come
    /// from the rarest words first (MaxScore): when no memory holding only the commoner words could reach the last place
    /// of the result, it is exact. Otherwise the search runs once more with candidates from the words that match at
    /// most <see cref="MaxCandidates"/> memories together; words commoner than that still add to the scores but bring no
    /// candidates of their own, so in a partition of tens of thousands of memories the lower places of a result can miss
    /// a memory that holds only such words (in the LoCoMo partitions every search is exact).
    /// </remarks>
    public async ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        if (!_keywordStructures)
        {
            throw new InvalidOperationException(
                "The keyword search in PostgreSQL is off (memory.keyword_index is memory): the in-memory keyword index answers instead.");
        }

        var terms = KeywordTerms.Extract(query);
        if (terms.Count == 0 || limit <= 0)
        {
            return [];
        }

        try
        {
            var (partitionId, words) = await InformativeLexemesAsync(scope.Partition, terms, cancellationToken);
            if (words.Count == 0)
            {
                return [];
            }

            // Rarest first. The candidates come from as many of them as match at most CandidateBudget memories (at least
            // one); if that cannot be shown exact, from as many as match at most MaxCandidates.
            words.Sort((a, b) => b.Idf.CompareTo(a.Idf));
            var generating = Generating(words, CandidateBudget);
            var hits = await SearchAsync(partitionId, words, generating, scope, limit, cancellationToken);
            if (!Exact(words, generating, hits, limit) && Generating(words, MaxCandidates) is var wider && wider > generating)
            {
                hits = await SearchAsync(partitionId, words, wider, scope, limit, cancellationToken);
            }

            return hits;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, "searching memories");
        }
    }

    /// <summary>How many of the words, rarest first, match at most <paramref name="budget"/> memories together (at least one word).</summary>
    private static int Generating(List<InformativeWord> words, int budget)
    {
        var count = 1;
        long matches = words[0].DocumentFrequency;
        while (count < words.Count && matches + words[count].DocumentFrequency <= budget)
        {
            matches += words[count++].DocumentFrequency;
        }

        return count;
    }

    /// <summary>
    /// True when no memory outside the candidates can be in the result: it holds none of the generating words, so it
    /// scores at most the other words' IDFs times the most one word can add, and the result is full and its last
    /// score higher than that.
    /// </summary>
    private bool Exact(List<InformativeWord> words, int generating, List<KeywordHit> hits, int limit) =>
        generating == words.Count || (hits.Count == limit && hits[^1].Score > words.Skip(generating).Sum(w => w.Idf) * MaxWordRank);

    /// <summary>The most one word's ts_rank can be: the largest weight, through rank / (rank + 1) when that flag is set.</summary>
    private double MaxWordRank
    {
        get
        {
            var weight = Math.Max(1, Math.Max(SpeakerWeight, ContextWeight));
            return (RankNormalization & 32) != 0 ? weight / (weight + 1) : weight;
        }
    }

    /// <summary>
    /// The best <paramref name="limit"/> memories of the partition that hold one of the first <paramref name="generating"/>
    /// words in their text or context, scored over every word. The privacy rule is RecallScope.Allows, written in SQL.
    /// </summary>
    private async Task<List<KeywordHit>> SearchAsync(long partitionId, List<InformativeWord> words, int generating, RecallScope scope, int limit,
        CancellationToken cancellationToken)
    {
        // The score is written out (a sum of one ts_rank per word) rather than aggregated over an unnest: it is evaluated
        // for every candidate.
        var score = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            score.Append(i == 0 ? "" : " + ").Append(CultureInfo.InvariantCulture, $"${8 + (2 * i)} * ts_rank($3, m.search, ${9 + (2 * i)}::tsquery, $4)");
        }

        await using var command = _db.DataSource.CreateCommand($"""
            SELECT m.id, {score} AS score
            FROM memories m
            WHERE m.partition_id = $1 AND m.search @@ $2::tsquery
              AND ($5 = 0 OR m.privacy = 2 OR ($5 = 1 AND m.privacy = 1 AND m.channel_id = $6))
            ORDER BY score DESC, m.id
            LIMIT $7;
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<long> { TypedValue = partitionId });
        p.Add(new NpgsqlParameter<string> { TypedValue = KeywordQuery.Match(partitionId, words.Take(generating).Select(w => w.Lexeme).ToList()) });
        p.Add(new NpgsqlParameter<float[]> { TypedValue = [0f, (float)ContextWeight, (float)SpeakerWeight, 1f] });
        p.Add(new NpgsqlParameter<int> { TypedValue = RankNormalization });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)scope.Privacy });
        p.Add(new NpgsqlParameter<string> { TypedValue = scope.ChannelId });
        p.Add(new NpgsqlParameter<int> { TypedValue = limit });
        foreach (var word in words)
        {
            p.Add(new NpgsqlParameter<double> { TypedValue = word.Idf });
            p.Add(new NpgsqlParameter<string> { TypedValue = KeywordQuery.Operand(word.Lexeme), NpgsqlDbType = NpgsqlDbType.Text });
        }

        var hits = new List<KeywordHit>(Math.Min(limit, 256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new KeywordHit(reader.GetInt64(0), reader.GetDouble(1)));
        }

        return hits;
    }

    /// <summary>
    /// The partition's id and the query's lexemes (PostgreSQL's stemming and stop words) that are rare enough in its
    /// texts and contexts to tell memories apart, with their IDF. A word in half the memories or more (the person's own
    /// name, "really") would rank memories by length alone: FTS5 gives it no weight, and it is left out here.
    /// </summary>
    private async ValueTask<(long PartitionId, List<InformativeWord> Words)> InformativeLexemesAsync(MemoryPartition partition,
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
        var words = new List<InformativeWord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partitionId = reader.GetInt64(0);
            var documentFrequency = reader.GetInt32(3);
            var idf = KeywordQuery.Idf(reader.GetInt64(1), documentFrequency, BackgroundMemories);
            if (documentFrequency > 0 && idf > KeywordQuery.MinIdf)
            {
                words.Add(new InformativeWord(reader.GetString(2), documentFrequency, idf));
            }
        }

        return (partitionId, words);
    }
}
