using Microsoft.Extensions.AI;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>
/// What every <see cref="IMemoryStore"/> must do, through the engine's write path (<c>MemoryWriter</c>) and retrieval
/// (<c>HybridRetriever</c>) with the real MiniLM model: persistence, the privacy rules, partition isolation, keyword
/// search semantics, model changes, access recording and forgetting. Each backend subclasses this with storage of its
/// own (temp SQLite files, temp PostgreSQL schemas).
/// </summary>
public abstract partial class MemoryStoreConformance(MiniLmFixture miniLm) : IAsyncLifetime
{
    private readonly List<MemoryHarness> _harnesses = [];

    /// <summary>Opens a store on the named storage, created and migrated on first use; the same name again is a restarted process.</summary>
    protected abstract IMemoryStore OpenStore(string name);

    /// <summary>The names of the migration scripts journalled in the named storage.</summary>
    protected abstract Task<IReadOnlyList<string>> MigrationScriptsAsync(string name);

    /// <summary>Releases every store opened and deletes their storage.</summary>
    protected abstract Task DestroyAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }

        await DestroyAsync();
    }

    /// <summary>The write and read path on a store of the named storage, with other people's memories in it.</summary>
    protected async Task<MemoryHarness> OpenAsync(string name = "main", IEmbeddingGenerator<string, Embedding<float>>? embedder = null, bool seed = true)
    {
        var harness = new MemoryHarness(OpenStore(name), embedder ?? miniLm.Embedder);
        _harnesses.Add(harness);
        if (seed)
        {
            await harness.SeedOtherPeopleAsync();
        }

        return harness;
    }

    protected static RecallScope Dm(MemoryPartition partition) => new(partition, "dm", PrivacyLevel.DirectMessage);

    protected static NewMemory Memory(MemoryPartition partition, string text, string? context = null) =>
        new(partition, "dm", PrivacyLevel.DirectMessage, partition.UserId, text, DateTimeOffset.UtcNow) { Context = context };

    [Fact]
    public async Task Retrieve_AfterWrite_RelevantMemoryFirst()
    {
        var memory = await OpenAsync();
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
        var first = await OpenAsync();
        await first.WriteAsync(ann, "I ran my first marathon in Rotterdam.");
        await first.WriteAsync(ann, "I am allergic to peanuts.");

        var reopened = await OpenAsync(seed: false);
        Assert.Equal("I ran my first marathon in Rotterdam.", (await reopened.RecallAsync(Dm(ann), "long distance running race", RetrievalMode.Dense))[0]);
        Assert.Equal("I am allergic to peanuts.", (await reopened.RecallAsync(Dm(ann), "peanuts", RetrievalMode.Keyword))[0]);
    }

    [Fact]
    public async Task Retrieve_PublicChannel_NeverReturnsDirectOrPrivateMemories()
    {
        var memory = await OpenAsync();
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

            var inSamePrivate = await memory.RecallAsync(new RecallScope(ann, "staff", PrivacyLevel.PrivateChannel), "anxiety therapist staff", mode);
            Assert.Equal(2, inSamePrivate.Count);
            Assert.DoesNotContain("My therapist says my anxiety is getting better.", inSamePrivate);

            var inDm = await memory.RecallAsync(Dm(ann), "anxiety therapist staff", mode);
            Assert.Equal(3, inDm.Count);
        }
    }

    [Fact]
    public async Task KeywordSearch_PublicChannel_PrivacyRuleAppliedInTheStore()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        await memory.WriteAsync(ann, "The saxophone lesson was in a DM.", PrivacyLevel.DirectMessage, "dm");
        await memory.WriteAsync(ann, "The saxophone lesson was in the band room.", PrivacyLevel.PrivateChannel, "band");
        await memory.WriteAsync(ann, "The saxophone lesson was in public.", PrivacyLevel.PublicChannel, "general");

        // The store itself (not only the retriever's check of the records) keeps what the scope does not allow.
        var inPublic = await memory.Store.KeywordSearchAsync(new RecallScope(ann, "general", PrivacyLevel.PublicChannel), "saxophone", 10);
        var inBand = await memory.Store.KeywordSearchAsync(new RecallScope(ann, "band", PrivacyLevel.PrivateChannel), "saxophone", 10);
        var inDm = await memory.Store.KeywordSearchAsync(Dm(ann), "saxophone", 10);

        Assert.Equal(["The saxophone lesson was in public."], await TextsAsync(memory, ann, inPublic));
        Assert.Equal(["The saxophone lesson was in public.", "The saxophone lesson was in the band room."], (await TextsAsync(memory, ann, inBand)).Order());
        Assert.Equal(3, inDm.Count);
    }

    [Fact]
    public async Task Retrieve_GroupChannel_EachSpeakerGetsOnlyTheirOwnMemories()
    {
        var memory = await OpenAsync();
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
        var memory = await OpenAsync();
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
    public async Task ReadsAndWrites_IdsOfAnotherPartition_NeitherReadNorChanged()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        var annsMemory = await memory.WriteAsync(ann, "My locker code is 1234.");
        await memory.WriteAsync(bob, "I like kites.");
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);

        Assert.Empty(await memory.Store.GetAsync(bob, [annsMemory.Id]));
        await memory.Store.RecordAccessAsync(bob, [annsMemory.Id], at);
        await memory.Store.SetEmbeddingAsync(bob, annsMemory.Id, new StoredEmbedding("other-model", new float[3]));

        var unchanged = Assert.Single(await memory.Store.GetAsync(ann, [annsMemory.Id]));
        Assert.Equal(0, unchanged.AccessCount);
        Assert.Null(unchanged.LastAccessedAt);
        Assert.Equal(miniLm.Embedder.ModelIdentifier, unchanged.EmbeddingModel);
    }

    private static async Task<List<string>> TextsAsync(MemoryHarness memory, MemoryPartition partition, IReadOnlyList<KeywordHit> hits)
    {
        var records = (await memory.Store.GetAsync(partition, hits.Select(h => h.Id).ToList())).ToDictionary(r => r.Id);
        return hits.Select(h => records[h.Id].Text).ToList();
    }
}
