using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.IntegrationTests.Conformance;

public sealed partial class PostgresMemoryStoreConformanceTests
{
    /// <summary>The term statistics the triggers keep must equal what the rows say, whatever the writes did.</summary>
    [Fact]
    public async Task TermStatistics_AfterInsertsUpdatesAndDeletes_EqualARecount()
    {
        var memory = await OpenAsync(seed: false);
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        var ids = new List<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var record = await memory.Store.AddAsync(Memory(w % 2 == 0 ? ann : bob, $"Walked the dog {i} times to the lighthouse {w}",
                    context: i % 3 == 0 ? "Did you walk by the harbour?" : null), 9, null);
                lock (ids)
                {
                    ids.Add(record.Id);
                }
            }
        })));
        var annIds = (await memory.Store.GetAsync(ann, ids)).Select(r => r.Id).Order().ToList();
        await memory.Store.RecordAccessAsync(ann, annIds.Take(5).ToList(), DateTimeOffset.UtcNow);
        await memory.Store.SetEmbeddingAsync(ann, annIds[0], new StoredEmbedding("m", new float[2]));
        // A reply adds words to the answered memory's entry; a second reply replaces them.
        await memory.Store.AddAsync(Memory(ann, "Sure, past the quayside") with { InReplyTo = annIds[4] }, 5, null);
        await memory.Store.AddAsync(Memory(ann, "No, along the beach") with { InReplyTo = annIds[4] }, 5, null);
        await QueryAsync("main", $"UPDATE memories SET text = 'Painted the fence', context = NULL WHERE id IN ({annIds[1]}, {annIds[2]}) RETURNING id;", r => r.GetInt64(0));
        await QueryAsync("main", $"DELETE FROM memories WHERE id = {annIds[3]} RETURNING id;", r => r.GetInt64(0));
        Assert.Equal(40, await memory.Store.DeletePartitionAsync(bob));

        var kept = await QueryAsync("main", """
            SELECT p.user_id || ' ' || t.lexeme || ' ' || t.df FROM memory_terms t JOIN memory_partitions p ON p.id = t.partition_id
            WHERE t.df <> 0 ORDER BY 1;
            """, r => r.GetString(0));
        var recount = await QueryAsync("main", """
            SELECT p.user_id || ' ' || l.lexeme || ' ' || count(*) FROM memories m JOIN memory_partitions p ON p.id = m.partition_id,
                unnest(tsvector_to_array(ts_filter(m.search, '{a,c}'))) AS l(lexeme)
            GROUP BY p.user_id, l.lexeme ORDER BY 1;
            """, r => r.GetString(0));
        var counts = await QueryAsync("main", """
            SELECT p.memory_count = (SELECT count(*) FROM memories m WHERE m.partition_id = p.id) FROM memory_partitions p;
            """, r => r.GetBoolean(0));

        Assert.Equal(recount, kept);
        Assert.Contains("ann fenc 2", kept);
        Assert.Contains("ann quaysid 1", kept);
        Assert.Contains("ann beach 2", kept);
        Assert.Contains(kept, k => k.StartsWith("ann harbour ", StringComparison.Ordinal));
        Assert.DoesNotContain(kept, k => k.StartsWith("bob ", StringComparison.Ordinal));
        Assert.Equal([true], counts);
        Assert.Equal(41, await memory.Store.CountAsync(ann));
        Assert.Empty(await QueryAsync("main", "SELECT lexeme FROM memory_terms WHERE df < 0;", r => r.GetString(0)));
    }

    /// <summary>Candidates from the rarest words first (MaxScore) must give the ranking that scoring every match gives.</summary>
    [Fact]
    public async Task KeywordSearch_CandidatesFromRarestWordsFirst_SameRankingAsScoringEveryMatch()
    {
        var full = (PostgresMemoryStore)OpenStore("pruning");
        var pruned = new PostgresMemoryStore(Database("pruning"), TimeProvider.System) { CandidateBudget = 1, MaxCandidates = int.MaxValue };
        var firstOnly = new PostgresMemoryStore(Database("pruning"), TimeProvider.System) { CandidateBudget = 1, MaxCandidates = 1 };
        var ann = MemoryHarness.Partition("ann");
        string[] places = ["harbour", "market", "library", "station", "garden", "museum"];
        string[] things = ["kite", "bicycle", "violin", "umbrella"];
        for (var i = 0; i < 240; i++)
        {
            var text = $"Went to the {places[i % places.Length]} with my {things[i % things.Length]}" + (i % 7 == 0 ? " and saw a heron" : "") +
                (i % 3 == 0 ? $", the {places[(i + 1) % places.Length]} too" : "");
            await full.AddAsync(Memory(ann, text, context: i % 5 == 0 ? "Did you take the violin?" : null), 10, null);
        }

        string[] queries = ["heron at the harbour", "violin in the museum garden", "kite bicycle umbrella", "harbour market library station", "heron"];
        foreach (var query in queries)
        {
            var everything = (await full.KeywordSearchAsync(Dm(ann), query, 1_000)).ToDictionary(h => h.Id, h => h.Score);
            foreach (var limit in new[] { 3, 10, 50 })
            {
                var expected = await full.KeywordSearchAsync(Dm(ann), query, limit);
                Assert.Equal(expected, await pruned.KeywordSearchAsync(Dm(ann), query, limit));

                // Candidates from the rarest word alone: scored like any other, in order, but some may be missing.
                var first = await firstOnly.KeywordSearchAsync(Dm(ann), query, limit);
                Assert.NotEmpty(first);
                Assert.All(first, h => Assert.Equal(everything[h.Id], h.Score, 9));
                Assert.True(first.Zip(first.Skip(1)).All(p => p.First.Score >= p.Second.Score));
            }
        }
    }
}
