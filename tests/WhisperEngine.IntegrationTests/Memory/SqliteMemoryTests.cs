using Microsoft.Data.Sqlite;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Memory on a real SQLite file with the real MiniLM model.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class SqliteMemoryTests(MiniLmFixture miniLm) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<MemoryHarness> OpenAsync(string name = "we.db")
    {
        var harness = new MemoryHarness(_dir.File(name), miniLm.Embedder);
        await harness.SeedOtherPeopleAsync();
        return harness;
    }

    private static RecallScope Dm(MemoryPartition partition) => new(partition, "dm", PrivacyLevel.DirectMessage);

    [Fact]
    public async Task Retrieve_AfterWrite_RelevantMemoryFirst()
    {
        using var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "I started learning the cello last spring.");
        await memory.WriteAsync(ann, "My sister lives in Lisbon with her two kids.");
        await memory.WriteAsync(ann, "Our golden retriever is called Biscuit and loves the beach.");
        await memory.WriteAsync(ann, "Work has been hectic since the merger.");

        var recalled = await memory.RecallAsync(Dm(ann), "What is the name of Ann's dog?");

        Assert.Equal("Our golden retriever is called Biscuit and loves the beach.", recalled[0]);
    }

    [Fact]
    public async Task Retrieve_Reopened_VectorsAndKeywordsPersist()
    {
        var ann = MemoryHarness.Partition("ann");
        using (var first = await OpenAsync())
        {
            await first.WriteAsync(ann, "I ran my first marathon in Rotterdam.");
            await first.WriteAsync(ann, "I am allergic to peanuts.");
        }

        SqliteConnection.ClearAllPools();
        using var reopened = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder);
        Assert.Equal("I ran my first marathon in Rotterdam.", (await reopened.RecallAsync(Dm(ann), "long distance running race", RetrievalMode.Dense))[0]);
        Assert.Equal("I am allergic to peanuts.", (await reopened.RecallAsync(Dm(ann), "peanuts", RetrievalMode.Keyword))[0]);
    }

    [Fact]
    public async Task Retrieve_PublicChannel_NeverReturnsDirectOrPrivateMemories()
    {
        using var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "My therapist says my anxiety is getting better.", PrivacyLevel.DirectMessage, "dm");
        await memory.WriteAsync(ann, "Anxiety about the staff rota came up again.", PrivacyLevel.PrivateChannel, "staff");
        await memory.WriteAsync(ann, "I posted my anxiety-free holiday photos.", PrivacyLevel.PublicChannel, "general");

        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            var inPublic = await memory.RecallAsync(new RecallScope(ann, "general", PrivacyLevel.PublicChannel), "anxiety therapist staff", mode);
            Assert.Equal(["I posted my anxiety-free holiday photos."], inPublic);

            var inOtherPrivate = await memory.RecallAsync(new RecallScope(ann, "mods", PrivacyLevel.PrivateChannel), "anxiety therapist staff", mode);
            Assert.Equal(["I posted my anxiety-free holiday photos."], inOtherPrivate);

            var inDm = await memory.RecallAsync(Dm(ann), "anxiety therapist staff", mode);
            Assert.Equal(3, inDm.Count);
        }
    }

    [Fact]
    public async Task Retrieve_GroupChannel_EachSpeakerGetsOnlyTheirOwnMemories()
    {
        using var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        await memory.WriteAsync(ann, "My favourite band is Radiohead.", PrivacyLevel.PublicChannel, "general");
        await memory.WriteAsync(bob, "My favourite band is Radiohead too, and my PIN is 4521.", PrivacyLevel.PublicChannel, "general");
        await memory.WriteAsync(bob, "Bob secretly plans to quit his job.", PrivacyLevel.DirectMessage, "dm-bob");

        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            var forAnn = await memory.RecallAsync(new RecallScope(ann, "general", PrivacyLevel.PublicChannel), "favourite band Radiohead PIN quit job", mode);
            Assert.Equal(["My favourite band is Radiohead."], forAnn);
            var annDm = await memory.RecallAsync(Dm(ann), "favourite band Radiohead PIN quit job", mode);
            Assert.Equal(["My favourite band is Radiohead."], annDm);
        }
    }

    [Fact]
    public async Task Retrieve_OtherBotOrTenant_Isolated()
    {
        using var memory = await OpenAsync();
        await memory.WriteAsync(MemoryHarness.Partition("ann", bot: "elena"), "I keep bees on my roof.");
        await memory.WriteAsync(MemoryHarness.Partition("ann", bot: "marcus"), "I keep chickens in the garden.");
        await memory.WriteAsync(MemoryHarness.Partition("ann", bot: "elena", tenant: "acme"), "I keep goats at the farm.");

        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            Assert.Equal(["I keep bees on my roof."], await memory.RecallAsync(Dm(MemoryHarness.Partition("ann", bot: "elena")), "keep bees chickens goats", mode));
            Assert.Equal(["I keep chickens in the garden."], await memory.RecallAsync(Dm(MemoryHarness.Partition("ann", bot: "marcus")), "keep bees chickens goats", mode));
            Assert.Equal(["I keep goats at the farm."],
                await memory.RecallAsync(Dm(MemoryHarness.Partition("ann", bot: "elena", tenant: "acme")), "keep bees chickens goats", mode));
            Assert.Empty(await memory.RecallAsync(Dm(MemoryHarness.Partition("ann", bot: "nobody")), "keep bees chickens goats", mode));
        }
    }

    [Fact]
    public async Task KeywordSearch_RareWord_FoundByFts5WithStemming()
    {
        using var memory = await OpenAsync();
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
        using var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "I bake sourdough every weekend.", speaker: "Ann");

        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(ann), "Ann?", 10));
        Assert.Single(await memory.Store.KeywordSearchAsync(Dm(ann), "What does Ann bake?", 10));
    }

    [Fact]
    public async Task ModelChange_OldVectorsNotMixed_ReportedForReembeddingThenReembedded()
    {
        var ann = MemoryHarness.Partition("ann");
        var path = _dir.File("models.db");
        using (var old = new MemoryHarness(path, new HashingEmbeddingGenerator("hashing-v1", MiniLmEmbeddingGenerator.Dimensions)))
        {
            await old.SeedOtherPeopleAsync();
            await old.WriteAsync(ann, "My grandmother taught me to knit.");
            await old.WriteAsync(ann, "I collect vintage postcards.");
        }

        SqliteConnection.ClearAllPools();
        using var current = new MemoryHarness(path, miniLm.Embedder);
        var model = current.Writer.Model;
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, model.Model);

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
        Assert.Equal("My grandmother taught me to knit.", (await current.RecallAsync(Dm(ann), "knitting with grandma", RetrievalMode.Dense))[0]);
    }

    [Fact]
    public async Task Forget_Partition_GoneFromStoreKeywordsAndIndex()
    {
        using var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        await memory.WriteAsync(ann, "I play the trumpet.");
        await memory.WriteAsync(bob, "I play the trumpet as well.");
        Assert.Single(await memory.RecallAsync(Dm(ann), "trumpet"));

        Assert.Equal(1, await memory.Writer.ForgetAsync(ann));

        Assert.Equal(0, await memory.Store.CountAsync(ann));
        Assert.Empty(await memory.RecallAsync(Dm(ann), "trumpet"));
        Assert.Single(await memory.RecallAsync(Dm(bob), "trumpet"));
        await memory.WriteAsync(ann, "I switched to the saxophone.");
        Assert.Equal(["I switched to the saxophone."], await memory.RecallAsync(Dm(ann), "trumpet saxophone"));
    }

    [Fact]
    public async Task Retrieve_TokenBudget_HitsFitTheBudget()
    {
        using var memory = await OpenAsync();
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
        using var memory = await OpenAsync();
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
        using var memory = await OpenAsync();
        await using var connection = await memory.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ScriptName FROM schema_versions ORDER BY ScriptName;";
        var scripts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            scripts.Add(reader.GetString(0));
        }

        Assert.Contains(scripts, s => s.EndsWith("0001_conversations.sql", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.EndsWith("0001_memories.sql", StringComparison.Ordinal));
    }
}
