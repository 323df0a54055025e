using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Chat;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Sqlite.Consolidation;
using WhisperEngine.Memory.Sqlite.Facts;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Sqlite;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory.Consolidation;

/// <summary>Old sessions summarised into compact memories: a real SQLite file, real MiniLM, the chat pipeline against a fake model.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class ConsolidationTests(MiniLmFixture miniLm) : IAsyncLifetime
{
    private const string SummaryText = "Ann told Elena about her trip to Kyoto in April: temples, a tea ceremony and a lost umbrella.";

    private static readonly MemoryPartition Ann = new("default", "elena", "ann");
    private static readonly DateTimeOffset TenDaysAgo = new(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(-10).AddHours(9), TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly RecordingLoggerFactory _log = new();
    private FakeOpenAiServer _model = null!;
    private MemoryHarness _memory = null!;
    private SqliteUsageLedger _ledger = null!;
    private IChatClient _chat = null!;
    private SqliteConsolidationStore _store = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _model.DefaultReply = FakeReply.Text(SummaryText);
        _memory = new MemoryHarness(_dir.File("we.db"), miniLm.Embedder);
        _ledger = new SqliteUsageLedger(_memory.Database!, _log.CreateLogger<SqliteUsageLedger>());
        var endpoint = new ModelEndpointOptions { ApiUrl = _model.BaseUrl, MaxRetries = 0 };
        _chat = ChatPipeline.Build(new OpenAiModelChatClient(endpoint), endpoint, _ledger, Memory.Facts.FactHarness.Tokens, _log, TimeProvider.System);
        _store = new SqliteConsolidationStore(_memory.Database!, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _chat.Dispose();
        await _model.DisposeAsync();
        _memory.Dispose();
        _dir.Dispose();
    }

    private MemoryConsolidator Consolidator(ConsolidationOptions? options = null) =>
        new(_store, _memory.Writer, _chat, options ?? new ConsolidationOptions { Model = "cheap-model" }, TimeProvider.System, _log.CreateLogger<MemoryConsolidator>());

    private async Task<List<MemoryRecord>> SessionAsync(DateTimeOffset start, int count, string channel = "dm", PrivacyLevel privacy = PrivacyLevel.DirectMessage,
        MemoryPartition? partition = null)
    {
        string[] lines =
        [
            "I just got back from Kyoto!", "How was it?", "The temples were stunning, especially Kinkaku-ji.", "Did you try a tea ceremony?",
            "Yes, in Uji, it was so calm.", "Sounds lovely.", "I lost my umbrella on the train though.", "Oh no!",
        ];
        var records = new List<MemoryRecord>();
        for (var i = 0; i < count; i++)
        {
            var speaker = i % 2 == 0 ? "Ann" : "Elena";
            records.Add(await _memory.Writer.WriteAsync(new NewMemory(partition ?? Ann, channel, privacy, speaker, lines[i % lines.Length], start.AddMinutes(i))));
        }

        return records;
    }

    [Fact]
    public async Task Consolidate_OldSession_OneSummaryRankedAboveItsSourcesWhichAreKept()
    {
        var sources = await SessionAsync(TenDaysAgo, 8);

        var written = await Consolidator().ConsolidateAsync(Ann);

        Assert.Equal(1, written);
        Assert.Equal(9, await _memory.Store.CountAsync(Ann));
        var request = Assert.Single(_model.Requests);
        Assert.Equal("cheap-model", request.Model);
        Assert.Contains("Ann: The temples were stunning, especially Kinkaku-ji.", request.Messages[^1].Content, StringComparison.Ordinal);
        Assert.Contains("a direct message", request.Messages[^1].Content, StringComparison.Ordinal);
        var usage = Assert.Single(await _ledger.GetRecentAsync(10));
        Assert.Equal(("summary", "ann"), (usage.Task, usage.UserId));

        var kept = await _memory.Store.GetAsync(Ann, [.. sources.Select(s => s.Id)]);
        // Each source keeps half of the importance it was written with (estimated from its words at write time).
        Assert.All(kept, m => Assert.Equal(sources.Single(s => s.Id == m.Id).Importance * 0.5f, m.Importance, 0.0001f));
        var recall = await _memory.Retriever.RetrieveAsync(new MemoryQuery(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "Kyoto temples tea ceremony umbrella"));
        var summary = recall.Hits[0].Record;
        Assert.Equal((MemoryConsolidator.SummarySpeaker, SummaryText, 0.8f), (summary.Speaker, summary.Text, summary.Importance));
        Assert.Equal((PrivacyLevel.DirectMessage, "dm", TenDaysAgo), (summary.Privacy, summary.ChannelId, summary.OccurredAt));
    }

    [Fact]
    public async Task Consolidate_RunAgain_DoesNothingNew()
    {
        await SessionAsync(TenDaysAgo, 8);
        var consolidator = Consolidator();
        await consolidator.ConsolidateAsync(Ann);

        Assert.Equal(0, await consolidator.ConsolidateAsync(Ann));
        Assert.Equal(0, await consolidator.ConsolidateDueAsync());

        Assert.Single(_model.Requests);
        Assert.Equal(9, await _memory.Store.CountAsync(Ann));
    }

    [Fact]
    public async Task Consolidate_RecentOrSmallSessions_LeftAsTheyAre()
    {
        await SessionAsync(DateTimeOffset.UtcNow.AddDays(-2), 8);
        await SessionAsync(TenDaysAgo.AddDays(-1), 3);

        Assert.Equal(0, await Consolidator().ConsolidateAsync(Ann));
        Assert.Equal(0, await Consolidator().ConsolidateDueAsync());

        Assert.Empty(_model.Requests);
    }

    [Fact]
    public async Task Consolidate_SameDayInTwoPlaces_OneSummaryEachWithItsOwnPrivacy()
    {
        await SessionAsync(TenDaysAgo, 6, "dm", PrivacyLevel.DirectMessage);
        await SessionAsync(TenDaysAgo, 6, "general", PrivacyLevel.PublicChannel);
        _model.Responder = r => FakeReply.Text(r.Messages[^1].Content!.Contains("a public channel", StringComparison.Ordinal)
            ? "In the public channel Ann talked about Kyoto."
            : "In a direct message Ann talked about Kyoto.");

        Assert.Equal(2, await Consolidator().ConsolidateAsync(Ann));

        var inPublic = await _memory.RecallAsync(new RecallScope(Ann, "general", PrivacyLevel.PublicChannel), "Ann talked about Kyoto", max: 20);
        Assert.Contains("In the public channel Ann talked about Kyoto.", inPublic);
        Assert.DoesNotContain("In a direct message Ann talked about Kyoto.", inPublic);
    }

    [Fact]
    public async Task ConsolidateDue_FindsEveryPartitionWithOldSessions()
    {
        var bob = new MemoryPartition("default", "elena", "bob");
        var marcus = new MemoryPartition("default", "marcus", "ann");
        await SessionAsync(TenDaysAgo, 6, partition: Ann);
        await SessionAsync(TenDaysAgo, 6, partition: bob);
        await SessionAsync(TenDaysAgo, 6, partition: marcus);

        Assert.Equal(3, await Consolidator().ConsolidateDueAsync());

        Assert.Equal(["ann", "ann", "bob"], (await _ledger.GetRecentAsync(10)).Select(u => u.UserId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Consolidate_ModelFails_NothingMarkedAndTheNextRunDoesIt()
    {
        await SessionAsync(TenDaysAgo, 6);
        _model.Enqueue(FakeReply.Error(500));

        Assert.Equal(0, await Consolidator().ConsolidateAsync(Ann));
        Assert.True(_log.Has(7152));
        Assert.Equal(6, (await _store.GetUnconsolidatedAsync(Ann, DateTimeOffset.UtcNow, 100)).Count);

        Assert.Equal(1, await Consolidator().ConsolidateAsync(Ann));
    }

    [Fact]
    public async Task Consolidate_EmptyAnswerTwice_DroppedSessionUntouched()
    {
        await SessionAsync(TenDaysAgo, 6);
        _model.DefaultReply = FakeReply.Text("   ");

        Assert.Equal(0, await Consolidator().ConsolidateAsync(Ann));

        Assert.Equal(2, _model.RequestCount);
        Assert.True(_log.Has(7151));
        Assert.Equal(6, await _memory.Store.CountAsync(Ann));
    }

    [Fact]
    public async Task Consolidate_InterruptedAfterMarking_NextRunWritesTheSummaryOnce()
    {
        var sources = await SessionAsync(TenDaysAgo, 6);
        var start = new ConsolidationStart("dm", PrivacyLevel.DirectMessage, DateOnly.FromDateTime(TenDaysAgo.UtcDateTime), [.. sources.Select(s => s.Id)],
            "Ann and Elena talked about Kyoto.", TenDaysAgo, 0.5f);
        Assert.NotNull(await _store.BeginAsync(Ann, start));

        Assert.Equal(1, await Consolidator().ConsolidateAsync(Ann));
        Assert.Equal(0, await Consolidator().ConsolidateAsync(Ann));

        Assert.Empty(_model.Requests);
        Assert.Equal(7, await _memory.Store.CountAsync(Ann));
        Assert.Empty(await _store.GetPendingAsync(Ann));
    }

    [Fact]
    public async Task Consolidate_InterruptedAfterWritingTheSummary_AdoptsItInsteadOfWritingTwice()
    {
        var sources = await SessionAsync(TenDaysAgo, 6);
        var start = new ConsolidationStart("dm", PrivacyLevel.DirectMessage, DateOnly.FromDateTime(TenDaysAgo.UtcDateTime), [.. sources.Select(s => s.Id)],
            "Ann and Elena talked about Kyoto.", TenDaysAgo, 0.5f);
        Assert.NotNull(await _store.BeginAsync(Ann, start));
        var written = await _memory.Writer.WriteAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, MemoryConsolidator.SummarySpeaker, start.Summary, TenDaysAgo));

        Assert.Equal(1, await Consolidator().ConsolidateAsync(Ann));

        Assert.Equal(7, await _memory.Store.CountAsync(Ann));
        Assert.Empty(await _store.GetPendingAsync(Ann));
        Assert.DoesNotContain(await _store.GetUnconsolidatedAsync(Ann, DateTimeOffset.UtcNow, 100), m => m.Id == written.Id);
    }

    [Fact]
    public async Task Consolidate_PersonForgottenDuringTheModelCall_WritesNothingBack()
    {
        await SessionAsync(TenDaysAgo, 6);
        _model.DefaultReply = FakeReply.Text(SummaryText, firstTokenDelay: TimeSpan.FromMilliseconds(600));

        var run = Consolidator().ConsolidateAsync(Ann);
        while (_model.RequestCount == 0)
        {
            await Task.Delay(10);
        }

        await _memory.Writer.ForgetAsync(Ann);

        Assert.Equal(0, await run);
        Assert.Equal(0, await _memory.Store.CountAsync(Ann));
        await using var connection = await _memory.Database!.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM memory_partitions) + (SELECT COUNT(*) FROM memory_consolidations);";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Begin_SourceAlreadyConsolidated_RefusedAndNothingChanged()
    {
        var sources = await SessionAsync(TenDaysAgo, 6);
        var day = DateOnly.FromDateTime(TenDaysAgo.UtcDateTime);
        Assert.NotNull(await _store.BeginAsync(Ann, new ConsolidationStart("dm", PrivacyLevel.DirectMessage, day, [sources[0].Id, sources[1].Id], "first", TenDaysAgo, 0.5f)));

        var second = await _store.BeginAsync(Ann, new ConsolidationStart("dm", PrivacyLevel.DirectMessage, day, [sources[1].Id, sources[2].Id], "second", TenDaysAgo, 0.5f));

        Assert.Null(second);
        Assert.Equal(sources[2].Importance, (await _memory.Store.GetAsync(Ann, [sources[2].Id]))[0].Importance);
        Assert.Single(await _store.GetPendingAsync(Ann));
    }

    [Fact]
    public async Task Forget_DeletesMemoriesSummariesConsolidationsAndFacts()
    {
        await SessionAsync(TenDaysAgo, 6);
        await Consolidator().ConsolidateAsync(Ann);
        var facts = new SqliteFactStore(_memory.Database!, TimeProvider.System);
        await facts.AddAsync(FactOwner.Of(Ann), FactInput.FromText("Loves Kyoto", null, FactSubject.User, FactSources.User, PrivacyLevel.DirectMessage, "dm"));

        var writer = new MemoryWriter(_memory.Store, miniLm.Embedder, Memory.Facts.FactHarness.Tokens, _memory.Indexes, new MemoryOptions(),
            _log.CreateLogger<MemoryWriter>(), facts);
        await writer.ForgetAsync(Ann);

        Assert.Equal(0, await _memory.Store.CountAsync(Ann));
        Assert.Empty(await facts.GetAllAsync(FactOwner.Of(Ann)));
        await using var connection = await _memory.Database!.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM memory_consolidations) + (SELECT COUNT(*) FROM memory_consolidation_sources) + (SELECT COUNT(*) FROM facts);";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Sessions_LongDay_SplitIntoEvenParts()
    {
        var consolidator = Consolidator(new ConsolidationOptions { Model = "m", MinMemories = 6, MaxMemoriesPerSummary = 60 });
        var memories = Enumerable.Range(1, 130).Select(i => new MemoryRecord
        {
            Id = i,
            Partition = Ann,
            ChannelId = "dm",
            Privacy = PrivacyLevel.DirectMessage,
            Speaker = "Ann",
            Text = "line " + i,
            OccurredAt = TenDaysAgo.AddMinutes(i),
            CreatedAt = TenDaysAgo,
            TokenCount = 3,
        }).ToList();

        var sessions = consolidator.Sessions(memories, truncated: false);

        Assert.Equal([44, 44, 42], sessions.Select(s => s.Count));
        Assert.Empty(consolidator.Sessions(memories, truncated: true));
    }
}
