using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Writing;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Memory;

/// <summary>The boosts after fusion: a date or speaker the query names, importance estimated at write, use (access) and its decay.</summary>
public sealed class RetrievalBoostTests
{
    private static readonly MemoryPartition Ann = new("t", "elena", "ann");
    private static readonly RecallScope Dm = new(Ann, "dm", PrivacyLevel.DirectMessage);
    private static readonly DateTimeOffset Now = new(2023, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryMemoryStore _store = new();
    private readonly FakeEmbeddingGenerator _embedder = new();
    private readonly MemoryOptions _options = new() { RecencyWeight = 0, EstimateImportance = false, SpeakerWeight = 0, DateWeight = 0, AccessWeight = 0 };
    private readonly MemoryWriter _writer;
    private readonly HybridRetriever _retriever;

    public RetrievalBoostTests()
    {
        var indexes = new VectorIndexRegistry(_store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        _writer = new MemoryWriter(_store, _embedder, new FakeTokenCounter(), indexes, _options, NullLogger<MemoryWriter>.Instance);
        _retriever = new HybridRetriever(_store, _embedder, indexes, _options, new FakeTimeProvider(Now), NullLogger<HybridRetriever>.Instance);
    }

    private Task<MemoryRecord> WriteAsync(string text, DateTimeOffset at, string speaker = "Ann") =>
        _writer.WriteAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, speaker, text, at)).AsTask();

    private async Task<string> FirstAsync(string query) => (await _retriever.RetrieveAsync(new MemoryQuery(Dm, query))).Hits[0].Record.Text;

    [Fact]
    public async Task Retrieve_QueryNamesADay_MemorySaidThatDayWins()
    {
        await WriteAsync("Pizza.", new DateTimeOffset(2023, 6, 3, 15, 0, 0, TimeSpan.Zero));
        await WriteAsync("We ate pizza by the lake, pizza again.", new DateTimeOffset(2023, 7, 10, 15, 0, 0, TimeSpan.Zero));
        const string question = "What pizza did we eat by the lake on 3 June, 2023?";
        var without = await FirstAsync(question);

        _options.DateWeight = 1;

        Assert.Equal("We ate pizza by the lake, pizza again.", without);
        Assert.Equal("Pizza.", await FirstAsync(question));
    }

    [Fact]
    public async Task Retrieve_QueryNamesOneSpeaker_ThatSpeakersMemoryWins()
    {
        await WriteAsync("Hiking in the hills is what I like about weekends.", Now.AddDays(-3));
        await WriteAsync("Hiking.", Now.AddDays(-3), speaker: "Elena");
        const string question = "What does Elena like about hiking in the hills?";
        var without = await FirstAsync(question);

        _options.SpeakerWeight = 1;

        Assert.Equal("Hiking in the hills is what I like about weekends.", without);
        Assert.Equal("Hiking.", await FirstAsync(question));
    }

    [Fact]
    public async Task Write_NeutralImportance_EstimatedFromTheWords()
    {
        _options.EstimateImportance = true;

        var smallTalk = await WriteAsync("Thanks!", Now);
        var disclosure = await WriteAsync("I was diagnosed with asthma in March and I'm scared.", Now);
        var given = await _writer.WriteAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, "Ann", "Thanks!", Now) { Importance = 0.7f });

        Assert.True(smallTalk.Importance < 0.5f);
        Assert.True(disclosure.Importance > 0.5f);
        Assert.Equal(0.7f, given.Importance);
    }

    [Fact]
    public async Task Retrieve_OftenRecalledMemory_WinsATie()
    {
        var first = await WriteAsync("The chillies went to the market.", Now.AddDays(-40));
        var second = await WriteAsync("The chillies went to the market today.", Now.AddDays(-40));
        for (var i = 0; i < 5; i++)
        {
            await _store.RecordAccessAsync(Ann, [second.Id], Now.AddDays(-30));
        }

        var without = (await _retriever.RetrieveAsync(new MemoryQuery(Dm, "chillies market"))).Hits[0].Record.Id;
        _options.AccessWeight = 1;
        var with = (await _retriever.RetrieveAsync(new MemoryQuery(Dm, "chillies market"))).Hits[0].Record.Id;

        Assert.Equal(first.Id, without);
        Assert.Equal(second.Id, with);
    }

    [Fact]
    public async Task Retrieve_RecencyDecaysFromLastUse_RecentlyRecalledOldMemoryBeatsAnUnusedNewerOne()
    {
        // The newer memory is written first (lower id) and matches better: it wins until the old one is used.
        _options.RecencyWeight = 1;
        await WriteAsync("The chillies went to the market.", Now.AddDays(-200));
        var old = await WriteAsync("The chillies went to the market today.", Now.AddDays(-300));
        var before = (await _retriever.RetrieveAsync(new MemoryQuery(Dm, "chillies market"))).Hits[0].Record.Id;

        await _store.RecordAccessAsync(Ann, [old.Id], Now.AddDays(-1));

        Assert.NotEqual(old.Id, before);
        Assert.Equal(old.Id, (await _retriever.RetrieveAsync(new MemoryQuery(Dm, "chillies market"))).Hits[0].Record.Id);
    }
}
