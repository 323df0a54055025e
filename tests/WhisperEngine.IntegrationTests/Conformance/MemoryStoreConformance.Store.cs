using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Conformance;

public abstract partial class MemoryStoreConformance
{
    [Fact]
    public async Task KeywordSearch_RareWord_FoundWithStemming()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "We honeymooned in Zanzibar in 2019.");
        await memory.WriteAsync(ann, "I bake sourdough every weekend.");
        await memory.WriteAsync(ann, "The painting classes start on Tuesday.");

        var hits = await memory.Store.KeywordSearchAsync(Dm(ann), "Where is Zanzibar?", 10);
        var stemmed = await memory.RecallAsync(Dm(ann), "When does she paint?", RetrievalMode.Keyword);

        var hit = Assert.Single(hits);
        Assert.Equal("We honeymooned in Zanzibar in 2019.", Assert.Single(await memory.Store.GetAsync(ann, [hit.Id])).Text);
        Assert.Equal(["The painting classes start on Tuesday."], stemmed);
        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(ann), "what did you do", 10));
    }

    [Fact]
    public async Task KeywordSearch_OnlyTheSpeakersName_NoHit()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "I bake sourdough every weekend.", speaker: "Ann");

        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(ann), "Ann?", 10));
        Assert.Single(await memory.Store.KeywordSearchAsync(Dm(ann), "What does Ann bake?", 10));
    }

    [Fact]
    public async Task KeywordSearch_WordInContext_FoundBelowAMatchInTheText()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var answer = await memory.Store.AddAsync(Memory(ann, "Yes, last week!", context: "Bob: Did you visit the aquarium?"), 5, null);
        var inText = await memory.Store.AddAsync(Memory(ann, "The aquarium had a huge octopus."), 7, null);

        var hits = await memory.Store.KeywordSearchAsync(Dm(ann), "When did Ann go to the aquarium?", 10);

        Assert.Equal([inText.Id, answer.Id], hits.Select(h => h.Id));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task KeywordSearch_WordInMostMemories_NoHit()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        for (var i = 0; i < 300; i++)
        {
            await memory.Store.AddAsync(Memory(ann, $"Coffee note {i}: another cup of coffee today."), 8, null);
        }

        var rare = await memory.Store.AddAsync(Memory(ann, "Coffee with Zoe at the harbour."), 8, null);

        // "coffee" is in every memory of the partition: alone it tells nothing; with a rare word it does not outrank it.
        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(ann), "coffee", 10));
        var hits = await memory.Store.KeywordSearchAsync(Dm(ann), "coffee with Zoe", 10);
        Assert.Equal(rare.Id, Assert.Single(hits).Id);
    }

    [Fact]
    public async Task AddAsync_Record_RoundTripsEveryField()
    {
        var memory = await OpenAsync(seed: false);
        var ann = MemoryHarness.Partition("ann");
        var text = "Ünïcödé 🐙 — \"quotes\" 'and' \\backslashes\\ \n\t" + new string('x', 5_000);
        var occurred = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var added = await memory.Store.AddAsync(new NewMemory(ann, "general", PrivacyLevel.PublicChannel, "Ann O'Neil", text, occurred)
        {
            Importance = 0.8f,
            Context = "Bob: what's new?",
        }, 1234, new StoredEmbedding("model-a", new[] { 1f, -2.5f, float.Epsilon, 3e38f }));
        var bare = await memory.Store.AddAsync(Memory(ann, "No vector yet."), 3, null);

        var records = (await memory.Store.GetAsync(ann, [added.Id, bare.Id, 999_999])).OrderBy(r => r.Id).ToList();
        var vectors = await memory.Store.GetVectorsAsync(ann, new EmbeddingModelId("model-a", 4));

        Assert.Equal(2, records.Count);
        Assert.Equal(added, records[0]);
        Assert.Equal((text, "Ann O'Neil", "Bob: what's new?", "general", PrivacyLevel.PublicChannel, 0.8f, 1234, occurred),
            (records[0].Text, records[0].Speaker, records[0].Context, records[0].ChannelId, records[0].Privacy, records[0].Importance,
                records[0].TokenCount, records[0].OccurredAt));
        Assert.Equal(("model-a", 4), (records[0].EmbeddingModel, records[0].EmbeddingDimensions));
        Assert.Null(records[1].Context);
        Assert.Null(records[1].EmbeddingModel);
        var vector = Assert.Single(vectors);
        Assert.Equal((added.Id, "general", PrivacyLevel.PublicChannel), (vector.Id, vector.ChannelId, vector.Privacy));
        Assert.Equal([1f, -2.5f, float.Epsilon, 3e38f], vector.Vector.ToArray());
        Assert.Empty(await memory.Store.GetVectorsAsync(ann, new EmbeddingModelId("model-a", 3)));
        Assert.True(records[0].Id < records[1].Id);
    }

    [Fact]
    public async Task RecordAccess_Ids_CountedWithTheirTime()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var first = await memory.WriteAsync(ann, "I climbed Ben Nevis.");
        var second = await memory.WriteAsync(ann, "I swam across the lake.");
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);

        await memory.Store.RecordAccessAsync(ann, [first.Id, second.Id], at);
        await memory.Store.RecordAccessAsync(ann, [first.Id], at.AddMinutes(5));
        await memory.Store.RecordAccessAsync(ann, [], at.AddMinutes(9));

        var records = (await memory.Store.GetAsync(ann, [first.Id, second.Id])).ToDictionary(r => r.Id);
        Assert.Equal((2, at.AddMinutes(5)), (records[first.Id].AccessCount, records[first.Id].LastAccessedAt));
        Assert.Equal((1, at), (records[second.Id].AccessCount, records[second.Id].LastAccessedAt));

        // Access recording leaves the keyword index as it was.
        Assert.Equal([first.Id], (await memory.Store.KeywordSearchAsync(Dm(ann), "Ben Nevis", 10)).Select(h => h.Id));
    }

    [Fact]
    public async Task ModelChange_OldVectorsNotMixed_ReportedForReembeddingThenReembedded()
    {
        var ann = MemoryHarness.Partition("ann");
        var old = await OpenAsync("models", new HashingEmbeddingGenerator("hashing-v1", MiniLmEmbeddingGenerator.Dimensions));
        await old.WriteAsync(ann, "My grandmother taught me to knit.");
        await old.WriteAsync(ann, "I collect vintage postcards.");

        var current = await OpenAsync("models", seed: false);
        var model = current.Writer.Model;
        Assert.Equal(MiniLmEmbeddingGenerator.Float32ModelId, model.Model);

        // Same dimension, other model: the vectors must not be compared with MiniLM's.
        Assert.Empty(await current.RecallAsync(Dm(ann), "knitting with grandma", RetrievalMode.Dense));
        var inventory = await current.Store.GetEmbeddingInventoryAsync(ann);
        Assert.Equal([new EmbeddingInventory(new EmbeddingModelId("hashing-v1", 384), 2)], inventory);
        var stale = await current.Store.GetNeedingEmbeddingAsync(ann, model, 10);
        Assert.Equal(["My grandmother taught me to knit.", "I collect vintage postcards."], stale.Select(r => r.Text));
        Assert.Equal("hashing-v1", stale[0].EmbeddingModel);

        // Keyword search does not depend on the model.
        Assert.Single(await current.RecallAsync(Dm(ann), "postcards", RetrievalMode.Keyword));

        Assert.Equal(2, await current.Writer.ReembedAsync(ann));
        Assert.Empty(await current.Store.GetNeedingEmbeddingAsync(ann, model, 10));
        Assert.Equal([new EmbeddingInventory(model, 2)], await current.Store.GetEmbeddingInventoryAsync(ann));
        Assert.Equal("My grandmother taught me to knit.", (await current.RecallAsync(Dm(ann), "knitting with grandma", RetrievalMode.Dense))[0]);
    }

    [Fact]
    public async Task Forget_Partition_GoneFromStoreKeywordsAndIndex()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        await memory.WriteAsync(ann, "I play the trumpet.");
        await memory.WriteAsync(bob, "I play the trumpet as well.");
        Assert.Single(await memory.RecallAsync(Dm(ann), "trumpet"));

        Assert.Equal(1, await memory.Writer.ForgetAsync(ann));

        Assert.Equal(0, await memory.Store.CountAsync(ann));
        Assert.Equal(1, await memory.Store.CountAsync(bob));
        Assert.Equal(0, await memory.Store.DeletePartitionAsync(ann));
        Assert.Empty(await memory.RecallAsync(Dm(ann), "trumpet"));
        Assert.Single(await memory.RecallAsync(Dm(bob), "trumpet"));
        await memory.WriteAsync(ann, "I switched to the saxophone.");
        Assert.Equal(["I switched to the saxophone."], await memory.RecallAsync(Dm(ann), "trumpet saxophone"));
        Assert.Equal(1, await memory.Store.CountAsync(ann));
    }

    [Fact]
    public async Task AddAndForget_ConcurrentWritersOfOnePartition_AllStoredNoneFails()
    {
        var memory = await OpenAsync(seed: false);
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await memory.Store.AddAsync(Memory(w % 2 == 0 ? ann : bob, $"writer {w} note {i} about walrus number {i % 5}"), 9, null);
            }
        }));
        await Task.WhenAll(writers);
        Assert.Equal((100, 100), (await memory.Store.CountAsync(ann), await memory.Store.CountAsync(bob)));

        // Writes and a forget of the same partition at once: each either lands before the forget or after it.
        var more = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await memory.Store.AddAsync(Memory(ann, $"late note {w}-{i} about walrus"), 5, null);
            }
        })).ToList();
        var forgotten = await memory.Store.DeletePartitionAsync(ann);
        await Task.WhenAll(more);

        var left = await memory.Store.CountAsync(ann);
        Assert.Equal(140, forgotten + left);
        Assert.Equal(100, await memory.Store.CountAsync(bob));
    }

    [Fact]
    public async Task Retrieve_TokenBudget_HitsFitTheBudget()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        for (var i = 0; i < 20; i++)
        {
            await memory.WriteAsync(ann, $"Garden note {i}: the tomatoes in bed {i} need water and the basil needs sun.");
        }

        var recall = await memory.Retriever.RetrieveAsync(new MemoryQuery(Dm(ann), "tomatoes basil garden") { MaxResults = 100, MaxTokens = 100 });

        Assert.InRange(recall.Hits.Count, 2, 5);
        Assert.True(recall.TokenCount <= 100);
        Assert.Equal(recall.Hits.Sum(h => h.Record.TokenCount), recall.TokenCount);
    }

    [Fact]
    public async Task Retrieve_NearDuplicates_OnlyTheBestKept()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "Thanks so much!");
        await memory.WriteAsync(ann, "Thanks so much!!");
        await memory.WriteAsync(ann, "thanks so much");
        await memory.WriteAsync(ann, "I moved to Denver for the new job.");

        var recall = await memory.Retriever.RetrieveAsync(new MemoryQuery(Dm(ann), "thanks so much"));

        Assert.Equal(2, recall.Hits.Count);
        Assert.Equal(2, recall.DuplicatesSuppressed);
    }

    [Fact]
    public async Task Migrate_MemoryModule_JournalledWithCoreScripts()
    {
        await OpenAsync(seed: false);

        var scripts = await MigrationScriptsAsync("main");

        Assert.Contains(scripts, s => s.EndsWith("0001_conversations.sql", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.EndsWith("0001_memories.sql", StringComparison.Ordinal));
    }
}
