using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.IntegrationTests.Conformance;

public sealed partial class PostgresMemoryStoreConformanceTests
{
    /// <summary>
    /// With the in-memory keyword index the memory table keeps no tsvector, GIN index or term statistics; writes, counts
    /// and deletes work the same without them, and adding them back indexes what was written meanwhile, so the keyword
    /// search ranks exactly as on a store that kept them all along.
    /// </summary>
    [Fact]
    public async Task KeywordStructures_DroppedThenAddedBack_SearchAndStatisticsAsIfKeptAllAlong()
    {
        var switched = (PostgresMemoryStore)OpenStore("switched");
        var kept = (PostgresMemoryStore)OpenStore("kept");

        var dropped = switched.UseKeywordSearch(false);
        Assert.NotNull(dropped);
        Assert.False(switched.KeywordSearchInStore);
        Assert.Null(switched.UseKeywordSearch(false));
        Assert.Equal([false], await QueryAsync("switched",
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'memories'::regclass AND attname = 'search' AND NOT attisdropped);",
            r => r.GetBoolean(0)));

        foreach (var store in new[] { switched, kept })
        {
            await WriteAsync(store);
        }

        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        Assert.Equal(await kept.CountAsync(ann), await switched.CountAsync(ann));
        Assert.Equal(31, await switched.CountAsync(ann));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => switched.KeywordSearchAsync(Dm(ann), "harbour", 5).AsTask());
        Assert.Contains("memory.keyword_index", refused.Message, StringComparison.Ordinal);
        Assert.Equal(14, await switched.DeletePartitionAsync(bob));
        Assert.Equal(14, await kept.DeletePartitionAsync(bob));

        var added = switched.UseKeywordSearch(true);
        Assert.Equal(31, added?.Indexed);
        Assert.True(switched.KeywordSearchInStore);
        foreach (var query in new[] { "harbour", "violin at the lighthouse", "quayside beach", "walked the dog" })
        {
            var expected = (await kept.KeywordSearchAsync(Dm(ann), query, 10)).Select(h => (h.Id, Math.Round(h.Score, 9)));
            var actual = (await switched.KeywordSearchAsync(Dm(ann), query, 10)).Select(h => (h.Id, Math.Round(h.Score, 9)));
            Assert.Equal(expected, actual);
        }

        const string terms = """
            SELECT p.user_id || ' ' || t.lexeme || ' ' || t.df FROM memory_terms t JOIN memory_partitions p ON p.id = t.partition_id
            WHERE t.df <> 0 ORDER BY 1;
            """;
        const string counts = "SELECT p.user_id || ' ' || p.memory_count FROM memory_partitions p ORDER BY 1;";
        Assert.Equal(await QueryAsync("kept", terms, r => r.GetString(0)), await QueryAsync("switched", terms, r => r.GetString(0)));
        Assert.Equal(["ann 31"], await QueryAsync("switched", counts, r => r.GetString(0)));

        // The structures added back are the migrations' own (their text is repeated in PostgresMemoryStore.KeywordStructures):
        // the same generated expression, indexes and triggers as on a schema that kept them.
        const string definitions = """
            SELECT 'column ' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
                JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                WHERE d.adrelid = 'memories'::regclass AND a.attname = 'search'
            UNION ALL
            SELECT 'index ' || replace(indexdef, current_schema() || '.', '') FROM pg_indexes
                WHERE schemaname = current_schema() AND tablename = 'memories'
            UNION ALL
            SELECT 'trigger ' || replace(pg_get_triggerdef(t.oid), current_schema() || '.', '') FROM pg_trigger t
                WHERE t.tgrelid = 'memories'::regclass AND NOT t.tgisinternal
            ORDER BY 1;
            """;
        var keptDefinitions = await QueryAsync("kept", definitions, r => r.GetString(0));
        Assert.Equal(keptDefinitions, await QueryAsync("switched", definitions, r => r.GetString(0)));
        Assert.Equal(3, keptDefinitions.Count(d => d.StartsWith("trigger ", StringComparison.Ordinal)));
        Assert.Single(keptDefinitions, d => d.StartsWith("column ", StringComparison.Ordinal));

        // The triggers are back: a later write is counted.
        await switched.AddAsync(Memory(ann, "A heron by the harbour"), 6, null);
        Assert.Equal(["ann 32"], await QueryAsync("switched", counts, r => r.GetString(0)));
    }

    /// <summary>The same writes on each store, in the same order (so the ids match): memories, replies, an access record.</summary>
    private static async Task WriteAsync(PostgresMemoryStore store)
    {
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        var annIds = new List<long>();
        for (var i = 0; i < 28; i++)
        {
            var text = $"Walked the dog {i} times to the {(i % 3 == 0 ? "harbour" : "lighthouse")}" + (i % 4 == 0 ? " with my violin" : "");
            annIds.Add((await store.AddAsync(Memory(ann, text, context: i % 5 == 0 ? "Did you go by the harbour?" : null), 9, null)).Id);
            if (i % 2 == 0)
            {
                await store.AddAsync(Memory(bob, $"Bob went to the harbour {i}"), 5, null);
            }
        }

        await store.AddAsync(Memory(ann, "Sure, past the quayside") with { InReplyTo = annIds[4] }, 5, null);
        await store.AddAsync(Memory(ann, "No, along the beach") with { InReplyTo = annIds[4] }, 5, null);
        await store.AddAsync(Memory(ann, "The harbour again") with { InReplyTo = annIds[7] }, 5, null);
        await store.RecordAccessAsync(ann, annIds.Take(5).ToList(), DateTimeOffset.UtcNow);
        await store.SetEmbeddingAsync(ann, annIds[0], new StoredEmbedding("m", new float[2]));
    }
}
