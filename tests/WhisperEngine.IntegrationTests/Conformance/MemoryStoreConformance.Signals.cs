using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The emotion of a memory and the reply it got (<see cref="NewMemory.Emotion"/>, <see cref="NewMemory.InReplyTo"/>).</summary>
public abstract partial class MemoryStoreConformance
{
    private static NewMemory Said(MemoryPartition partition, string speaker, string text, long? inReplyTo = null, string? emotion = null) =>
        new(partition, "dm", PrivacyLevel.DirectMessage, speaker, text, DateTimeOffset.UtcNow) { InReplyTo = inReplyTo, Emotion = emotion };

    [Fact]
    public async Task AddAsync_Emotion_StoredAndReadBack()
    {
        var memory = await OpenAsync(seed: false);
        var ann = MemoryHarness.Partition("ann");
        var joyful = await memory.Store.AddAsync(Said(ann, "Ann", "We got the keys to the new flat!", emotion: "joy"), 9, null);
        var plain = await memory.Store.AddAsync(Said(ann, "Ann", "The bus was on time."), 6, null);

        var records = (await memory.Store.GetAsync(ann, [joyful.Id, plain.Id])).ToDictionary(r => r.Id);

        Assert.Equal("joy", joyful.Emotion);
        Assert.Equal("joy", records[joyful.Id].Emotion);
        Assert.Null(records[plain.Id].Emotion);
        Assert.Equal(joyful, records[joyful.Id]);
    }

    [Fact]
    public async Task KeywordSearch_WordOnlyInTheAnswer_FindsTheQuestionBelowTheAnswer()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var question = await memory.Store.AddAsync(Said(ann, "Elena", "How did the night under the stars feel?"), 9, null);
        var answer = await memory.Store.AddAsync(Said(ann, "Ann", "Honestly it was magical, the meteors kept coming.", inReplyTo: question.Id), 11, null);

        var hits = await memory.Store.KeywordSearchAsync(Dm(ann), "meteors", 10);

        // The reply weighs less than the text: the answer itself comes first.
        Assert.Equal([answer.Id, question.Id], hits.Select(h => h.Id));
        Assert.True(hits[0].Score > hits[1].Score);
        var stored = (await memory.Store.GetAsync(ann, [question.Id, answer.Id])).ToDictionary(r => r.Id);
        Assert.Equal("Ann: Honestly it was magical, the meteors kept coming.", stored[question.Id].Reply);
        Assert.Null(stored[answer.Id].Reply);
    }

    [Fact]
    public async Task AddAsync_InReplyToAnotherPartitionsMemory_LeavesItUntouched()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var bob = MemoryHarness.Partition("bob");
        var bobs = await memory.Store.AddAsync(Said(bob, "Bob", "Where should I travel this summer?"), 8, null);

        var answer = await memory.Store.AddAsync(Said(ann, "Ann", "Lisbon, without a doubt.", inReplyTo: bobs.Id), 6, null);
        await memory.Store.AddAsync(Said(ann, "Ann", "Porto is lovely too.", inReplyTo: 999_999_999), 5, null);

        Assert.Null(Assert.Single(await memory.Store.GetAsync(bob, [bobs.Id])).Reply);
        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(bob), "Lisbon", 10));
        Assert.Equal([answer.Id], (await memory.Store.KeywordSearchAsync(Dm(ann), "Lisbon", 10)).Select(h => h.Id));
    }

    [Fact]
    public async Task AddAsync_LaterReply_ReplacesTheEarlierOneInTheKeywordEntry()
    {
        var memory = await OpenAsync();
        var ann = MemoryHarness.Partition("ann");
        var question = await memory.Store.AddAsync(Said(ann, "Elena", "What are you reading at the moment?"), 8, null);
        await memory.Store.AddAsync(Said(ann, "Ann", "A thriller about submarines.", inReplyTo: question.Id), 6, null);
        var second = await memory.Store.AddAsync(Said(ann, "Ann", "Actually, I switched to poetry.", inReplyTo: question.Id), 7, null);

        Assert.Equal("Ann: Actually, I switched to poetry.", Assert.Single(await memory.Store.GetAsync(ann, [question.Id])).Reply);
        Assert.DoesNotContain(question.Id, (await memory.Store.KeywordSearchAsync(Dm(ann), "submarines", 10)).Select(h => h.Id));
        Assert.Equal([second.Id, question.Id], (await memory.Store.KeywordSearchAsync(Dm(ann), "poetry", 10)).Select(h => h.Id));
    }
}
