using WhisperEngine.IntegrationTests.Memory;
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
        Assert.Contains(kept, k => k.StartsWith("ann harbour ", StringComparison.Ordinal));
        Assert.DoesNotContain(kept, k => k.StartsWith("bob ", StringComparison.Ordinal));
        Assert.Equal([true], counts);
        Assert.Equal(39, await memory.Store.CountAsync(ann));
        Assert.Empty(await QueryAsync("main", "SELECT lexeme FROM memory_terms WHERE df < 0;", r => r.GetString(0)));
    }
}
