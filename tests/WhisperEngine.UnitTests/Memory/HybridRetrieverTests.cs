using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Writing;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Memory;

public sealed class HybridRetrieverTests
{
    private static readonly MemoryPartition Ann = new("t", "elena", "ann");
    private readonly InMemoryMemoryStore _store = new();
    private readonly FakeEmbeddingGenerator _embedder = new();
    private readonly MemoryOptions _options = new() { RecencyWeight = 0 };
    private readonly MemoryWriter _writer;
    private readonly HybridRetriever _retriever;

    public HybridRetrieverTests()
    {
        var indexes = new VectorIndexRegistry(_store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance);
        _writer = new MemoryWriter(_store, _embedder, new FakeTokenCounter(), indexes, _options, NullLogger<MemoryWriter>.Instance);
        _retriever = new HybridRetriever(_store, _embedder, indexes, _options, TimeProvider.System, NullLogger<HybridRetriever>.Instance);
    }

    private Task<MemoryRecord> WriteAsync(string text, PrivacyLevel privacy = PrivacyLevel.DirectMessage, float importance = 0.5f) =>
        _writer.WriteAsync(new NewMemory(Ann, privacy == PrivacyLevel.DirectMessage ? "dm" : "general", privacy, "Ann", text, DateTimeOffset.UtcNow)
        {
            Importance = importance,
        }).AsTask();

    [Fact]
    public async Task Retrieve_KeywordMode_DoesNotEmbedTheQuery()
    {
        await WriteAsync("I grow chillies on the balcony.");
        var callsAfterWrite = _embedder.Calls;

        var recall = await _retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "chillies") { Mode = RetrievalMode.Keyword });

        Assert.Single(recall.Hits);
        Assert.Equal(callsAfterWrite, _embedder.Calls);
        Assert.Equal(1, recall.Hits[0].KeywordRank);
        Assert.Null(recall.Hits[0].DenseRank);
    }

    [Fact]
    public async Task Retrieve_StoreReturnsMemoryOutsideScope_RetrieverLeavesItOut()
    {
        _store.IgnoreScopeInKeywordSearch = true;
        await WriteAsync("My chillies are secret.", PrivacyLevel.DirectMessage);
        await WriteAsync("Look at my chillies!", PrivacyLevel.PublicChannel);

        var recall = await _retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "general", PrivacyLevel.PublicChannel), "chillies"));

        Assert.Equal(["Look at my chillies!"], recall.Hits.Select(h => h.Record.Text));
    }

    [Fact]
    public async Task Retrieve_ImportanceWeight_RaisesTheImportantMemoryAboveANeighbour()
    {
        // Same words: BM25 ties and the lower id ranks first; importance must lift the other above it.
        _options.DenseWeight = 0;
        _options.ImportanceWeight = 0.5;
        await WriteAsync("The chillies went to the market.", importance: 0.2f);
        await WriteAsync("The chillies went to the fair.", importance: 0.9f);

        var recall = await _retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "chillies"));

        Assert.Equal("The chillies went to the fair.", recall.Hits[0].Record.Text);
    }

    [Fact]
    public async Task Retrieve_Hybrid_BothRanksReportedAndTokensSummed()
    {
        await WriteAsync("I grow chillies on the balcony.");
        await WriteAsync("I moved to Leeds in May.");

        var recall = await _retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "chillies on the balcony"));

        var first = recall.Hits[0];
        Assert.Equal("I grow chillies on the balcony.", first.Record.Text);
        Assert.Equal(1, first.DenseRank);
        Assert.Equal(1, first.KeywordRank);
        Assert.Equal(recall.Hits.Sum(h => h.Record.TokenCount), recall.TokenCount);
    }

    [Fact]
    public async Task Retrieve_BlankQuery_ReturnsNothing()
    {
        await WriteAsync("I grow chillies on the balcony.");

        Assert.Empty((await _retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "  "))).Hits);
    }
}
