using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Reply context, speaker names and dates in recall, on a real SQLite file with the real MiniLM model.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class RecallSignalsTests(MiniLmFixture miniLm) : IDisposable
{
    private static readonly MemoryPartition Ann = MemoryHarness.Partition("ann");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RecallScope Dm(MemoryPartition partition) => new(partition, "dm", PrivacyLevel.DirectMessage);

    private async Task<MemoryHarness> OpenAsync(MemoryOptions? options = null)
    {
        var harness = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder, options);
        await harness.SeedOtherPeopleAsync();
        return harness;
    }

    private static Task<MemoryRecord> WriteAsync(MemoryHarness memory, MemoryPartition partition, string speaker, string text, long? inReplyTo = null,
        DateTimeOffset? at = null) =>
        memory.Writer.WriteAsync(new NewMemory(partition, "dm", PrivacyLevel.DirectMessage, speaker, text, at ?? DateTimeOffset.UtcNow)
        {
            InReplyTo = inReplyTo,
        }).AsTask();

    [Fact]
    public async Task KeywordSearch_WordOnlyInTheAnswer_FindsTheQuestionToo()
    {
        using var memory = await OpenAsync();
        var question = await WriteAsync(memory, Ann, "Elena", "How did the night under the stars feel?");
        var answer = await WriteAsync(memory, Ann, "Ann", "Honestly it was magical, the meteors kept coming.", inReplyTo: question.Id);

        var hits = await memory.Store.KeywordSearchAsync(Dm(Ann), "meteors", 10);

        Assert.Equal([question.Id, answer.Id], hits.Select(h => h.Id).Order());
        Assert.Equal("Ann: Honestly it was magical, the meteors kept coming.", Assert.Single(await memory.Store.GetAsync(Ann, [question.Id])).Reply);
    }

    [Fact]
    public async Task Write_InReplyToAnotherPartitionsMemory_LeavesItUntouched()
    {
        using var memory = await OpenAsync();
        var bob = MemoryHarness.Partition("bob");
        var bobs = await WriteAsync(memory, bob, "Bob", "Where should I travel this summer?");

        await WriteAsync(memory, Ann, "Ann", "Lisbon, without a doubt.", inReplyTo: bobs.Id);

        Assert.Null(Assert.Single(await memory.Store.GetAsync(bob, [bobs.Id])).Reply);
        Assert.Empty(await memory.Store.KeywordSearchAsync(Dm(bob), "Lisbon", 10));
    }

    [Fact]
    public async Task Write_KeywordReplyOff_AnswerNotIndexedWithTheQuestion()
    {
        using var memory = await OpenAsync(new MemoryOptions { KeywordReply = false });
        var question = await WriteAsync(memory, Ann, "Elena", "How did the night under the stars feel?");
        await WriteAsync(memory, Ann, "Ann", "The meteors kept coming.", inReplyTo: question.Id);

        Assert.DoesNotContain(question.Id, (await memory.Store.KeywordSearchAsync(Dm(Ann), "meteors", 10)).Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordSearch_SpeakerNameInTheQuestion_GreetingsNamingThemAreNoHit()
    {
        using var memory = await OpenAsync();
        await WriteAsync(memory, Ann, "Jon", "Thanks, Gina!");
        await WriteAsync(memory, Ann, "Gina", "Good luck, Jon!");
        var studio = await WriteAsync(memory, Ann, "Jon", "The dance studio opens next month.");

        var hits = await memory.Store.KeywordSearchAsync(Dm(Ann), "What did Jon say about his studio?", 10);

        Assert.Equal([studio.Id], hits.Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordSearch_NamesAsKeywords_GreetingsMatchAgain()
    {
        using var memory = await OpenAsync(new MemoryOptions { SpeakerNamesAsKeywords = true });
        var greeting = await WriteAsync(memory, Ann, "Gina", "Good luck, Jon!");
        await WriteAsync(memory, Ann, "Jon", "The dance studio opens next month.");

        var hits = await memory.Store.KeywordSearchAsync(Dm(Ann), "What did Jon say about his studio?", 10);

        Assert.Contains(greeting.Id, hits.Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordSearch_OnlyANameInTheQuestion_StillMatchesTheName()
    {
        using var memory = await OpenAsync();
        await WriteAsync(memory, Ann, "Jon", "The dance studio opens next month.");
        var greeting = await WriteAsync(memory, Ann, "Gina", "Good luck, Jon!");

        var hits = await memory.Store.KeywordSearchAsync(Dm(Ann), "Jon?", 10);

        Assert.Equal([greeting.Id], hits.Select(h => h.Id));
    }

    [Fact]
    public async Task KeywordSearch_NewSpeakerAfterTheFirstSearch_TreatedAsANameToo()
    {
        using var memory = await OpenAsync();
        await WriteAsync(memory, Ann, "Jon", "The dance studio opens next month.");
        Assert.Single(await memory.Store.KeywordSearchAsync(Dm(Ann), "studio", 10));

        await WriteAsync(memory, Ann, "Priya", "I lent Jon my speakers for the studio.");
        await WriteAsync(memory, Ann, "Jon", "Priya, you are a star!");

        var hits = await memory.Store.KeywordSearchAsync(Dm(Ann), "What did Priya lend for the studio?", 10);
        // "Priya, you are a star!" only names her: no hit once she is known as a speaker.
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public async Task Retrieve_QuestionNamesADate_TheMemoryOfThatDayFirst()
    {
        using var memory = await OpenAsync();
        await WriteAsync(memory, Ann, "Ann", "We went to the beach and swam for hours.", at: new DateTimeOffset(2023, 7, 14, 16, 0, 0, TimeSpan.Zero));
        await WriteAsync(memory, Ann, "Ann", "The beach was lovely, we swam again.", at: new DateTimeOffset(2023, 8, 2, 16, 0, 0, TimeSpan.Zero));
        await WriteAsync(memory, Ann, "Ann", "A quiet day at the beach, we swam a bit.", at: new DateTimeOffset(2023, 8, 20, 16, 0, 0, TimeSpan.Zero));

        var first = (await memory.Retriever.RetrieveAsync(new MemoryQuery(Dm(Ann), "What did Ann do at the beach on 2 August, 2023?"))).Hits[0];

        Assert.Equal("The beach was lovely, we swam again.", first.Record.Text);
    }
}
