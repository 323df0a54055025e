using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.UserData;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>
/// The in-memory keyword index (<c>KeywordIndexRegistry</c>) on each backend: it finds what the store's own search finds,
/// applies the privacy rule inside its top-k, follows every write (new memories, replies, forgetting, a write racing its
/// load) and is rebuilt from the store after a restart.
/// </summary>
public abstract partial class MemoryStoreConformance
{
    private static readonly string[] Corpus =
    [
        "I started learning the cello last spring.",
        "My cello teacher moved to Vienna.",
        "My sister lives in Lisbon with her two kids.",
        "We visited my sister in Lisbon for the holidays.",
        "Our golden retriever is called Biscuit.",
        "I ran my first marathon in Rotterdam.",
        "Training for the marathon hurt my knee.",
        "The garden needs new tulips this year.",
        "I planted tulips and roses in the garden.",
        "Work has been hectic since the merger.",
    ];

    private async Task<(MemoryHarness Memory, MemoryPartition Ann, List<MemoryRecord> Records)> CorpusAsync()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var records = new List<MemoryRecord>();
        foreach (var line in Corpus)
        {
            records.Add(await memory.WriteAsync(ann, line));
        }

        return (memory, ann, records);
    }

    [Theory]
    [InlineData("cello teacher", 1)]
    [InlineData("sister holidays", 3)]
    [InlineData("marathon Rotterdam", 5)]
    [InlineData("tulips garden roses", 8)]
    [InlineData("merger", 9)]
    [InlineData("Lisbon kids", 2)]
    [InlineData("submarine", -1)]
    public async Task KeywordIndex_SmallCorpus_FindsWhatTheStoreFinds(string query, int best)
    {
        var (memory, ann, records) = await CorpusAsync();

        var fromStore = await memory.Store.KeywordSearchAsync(Dm(ann), query, 50);
        var fromIndex = await memory.Keywords.SearchAsync(Dm(ann), query, 50);

        Assert.Equal(fromStore.Select(h => h.Id).Order(), fromIndex.Select(h => h.Id).Order());
        if (best >= 0)
        {
            Assert.Equal(records[best].Id, fromStore[0].Id);
            Assert.Equal(records[best].Id, fromIndex[0].Id);
        }
        else
        {
            Assert.Empty(fromIndex);
        }
    }

    [Fact]
    public async Task KeywordIndex_DirectMemoriesOutscorePublicOne_PublicChannelStillGetsItsHit()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        for (var i = 0; i < 6; i++)
        {
            await memory.WriteAsync(ann, $"Saxophone, saxophone: secret saxophone practice number {i}.", PrivacyLevel.DirectMessage, "dm");
        }

        var band = await memory.WriteAsync(ann, "The saxophone lesson was in the band room.", PrivacyLevel.PrivateChannel, "band");
        var open = await memory.WriteAsync(ann, "Somebody mentioned a saxophone once during a long and rambling public chat about many other things.",
            PrivacyLevel.PublicChannel, "general");
        await memory.WriteAsync(bob, "Saxophone saxophone saxophone.", PrivacyLevel.PublicChannel, "general");

        // Limit 1: the scope is applied while the top k is chosen, not to the top k afterwards.
        var inPublic = await memory.Keywords.SearchAsync(new RecallScope(ann, "general", PrivacyLevel.PublicChannel), "saxophone", 1);
        var inBand = await memory.Keywords.SearchAsync(new RecallScope(ann, "band", PrivacyLevel.PrivateChannel), "saxophone", 2);
        var inOtherPrivate = await memory.Keywords.SearchAsync(new RecallScope(ann, "mods", PrivacyLevel.PrivateChannel), "saxophone", 5);
        var inDm = await memory.Keywords.SearchAsync(Dm(ann), "saxophone", 50);
        var bobInPublic = await memory.Keywords.SearchAsync(new RecallScope(bob, "general", PrivacyLevel.PublicChannel), "saxophone", 50);

        Assert.Equal([open.Id], inPublic.Select(h => h.Id));
        Assert.Equal(new[] { band.Id, open.Id }.Order(), inBand.Select(h => h.Id).Order());
        Assert.Equal([open.Id], inOtherPrivate.Select(h => h.Id));
        Assert.Equal(8, inDm.Count);
        Assert.Single(bobInPublic);
        Assert.DoesNotContain(bobInPublic[0].Id, inDm.Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordIndex_WriteAfterLoad_FoundAndForgetRemoves()
    {
        var (memory, ann, _) = await CorpusAsync();
        Assert.Empty(await memory.Keywords.SearchAsync(Dm(ann), "accordion", 10));

        var written = await memory.WriteAsync(ann, "I bought an accordion at the flea market.");
        Assert.Equal([written.Id], (await memory.Keywords.SearchAsync(Dm(ann), "accordion", 10)).Select(h => h.Id));

        await memory.Writer.ForgetAsync(ann);
        Assert.Empty(await memory.Keywords.SearchAsync(Dm(ann), "accordion cello", 10));

        var again = await memory.WriteAsync(ann, "Another accordion, a smaller one.");
        Assert.Equal([again.Id], (await memory.Keywords.SearchAsync(Dm(ann), "accordion", 10)).Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordIndex_PersonErased_IndexDroppedWithTheMemories()
    {
        var (memory, ann, _) = await CorpusAsync();
        Assert.NotEmpty(await memory.Keywords.SearchAsync(Dm(ann), "cello", 10));
        var erasure = new MemoryUserData((IMemoryCatalog)memory.Store, memory.Store, memory.Indexes, memory.Keywords);

        await erasure.EraseAsync(new UserDataScope(ann.TenantId, ann.UserId));

        Assert.Empty(await memory.Keywords.SearchAsync(Dm(ann), "cello", 10));
    }

    [Fact]
    public async Task KeywordIndex_ReplyWritten_AnsweredMemoryFoundByTheReplysWords()
    {
        var (memory, ann, _) = await CorpusAsync();
        await memory.Keywords.SearchAsync(Dm(ann), "cello", 10);
        var question = await memory.WriteAsync(ann, "What should I cook tonight?");
        var answer = await memory.Writer.WriteAsync(new NewMemory(ann, "dm", PrivacyLevel.DirectMessage, "elena", "Try a spinach lasagne.",
            DateTimeOffset.UtcNow) { InReplyTo = question.Id });

        var fromIndex = await memory.Keywords.SearchAsync(Dm(ann), "lasagne", 10);
        var fromStore = await memory.Store.KeywordSearchAsync(Dm(ann), "lasagne", 10);

        Assert.Equal(new[] { question.Id, answer.Id }.Order(), fromIndex.Select(h => h.Id).Order());
        Assert.Equal(fromStore.Select(h => h.Id).Order(), fromIndex.Select(h => h.Id).Order());
    }

    [Fact]
    public async Task KeywordIndex_LoadedWhileWriting_NoWriteMissed()
    {
        var memory = await OpenAsync();
        for (var i = 0; i < 12; i++)
        {
            var partition = MemoryHarness.Partition("racer-" + i);
            await memory.WriteAsync(partition, "The first memory is about the harbour.");

            // The first search loads the partition's index while the write commits.
            var load = Task.Run(async () => await memory.Keywords.SearchAsync(Dm(partition), "harbour", 10));
            var write = Task.Run(async () => await memory.WriteAsync(partition, $"A zebra crossed the harbour road, number {i}."));
            await load;
            var written = await write;

            var hits = await memory.Keywords.SearchAsync(Dm(partition), "zebra", 10);
            Assert.Equal([written.Id], hits.Select(h => h.Id));
        }
    }

    [Fact]
    public async Task KeywordIndex_Restarted_RebuiltFromTheStore()
    {
        var (first, ann, records) = await CorpusAsync();
        var expected = (await first.Keywords.SearchAsync(Dm(ann), "marathon Rotterdam", 10)).Select(h => h.Id).ToList();

        var reopened = await OpenAsync(seed: false);
        var hits = await reopened.Keywords.SearchAsync(Dm(ann), "marathon Rotterdam", 10);

        Assert.Equal(expected, hits.Select(h => h.Id));
        Assert.Equal(records[5].Id, hits[0].Id);
    }

    [Fact]
    public async Task KeywordIndex_SpeakerName_BoostsTheirMemoriesButFindsNothingAlone()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var thanks = await memory.WriteAsync(ann, "Thanks, Jon!");
        var hike = await memory.WriteAsync(ann, "Jon and I went hiking near the lake.");
        var jons = await memory.WriteAsync(ann, "I love hiking in the Alps every summer with friends.", speaker: "Jon");
        await memory.WriteAsync(ann, "The hiking boots were too small.");

        var withWord = await memory.Keywords.SearchAsync(Dm(ann), "hiking with Jon", 10);
        var nameOnly = await memory.Keywords.SearchAsync(Dm(ann), "Jon?", 10);

        // "Jon" in the words of a memory is an address, not a topic: it does not find "Thanks, Jon!"; it lifts what Jon said.
        Assert.Equal(jons.Id, withWord[0].Id);
        Assert.DoesNotContain(thanks.Id, withWord.Select(h => h.Id));
        Assert.Equal(3, withWord.Count);
        // A query of names only searches the words for them.
        Assert.Equal(new[] { thanks.Id, hike.Id }.Order(), nameOnly.Select(h => h.Id).Order());
    }
}
