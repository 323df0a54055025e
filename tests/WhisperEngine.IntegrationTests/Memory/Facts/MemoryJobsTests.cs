using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Jobs;
using WhisperEngine.Memory.Sqlite.Consolidation;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>When memory's background jobs are due, and that the jobs handed out do the work.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MemoryJobsTests(MiniLmFixture miniLm) : IAsyncLifetime
{
    private static readonly ConversationKey Conversation = new("default", "elena", "ann", "dm");

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _dir = new();
    private FactHarness _h = null!;
    private MemoryHarness _memory = null!;

    public async Task InitializeAsync()
    {
        _h = await FactHarness.StartAsync(new FactOptions { Model = "cheap-model", EveryNMessages = 3, QuietPeriod = TimeSpan.FromMinutes(10) });
        _h.Model.DefaultReply = FakeReply.Text("""{"operations": []}""");
        _memory = new MemoryHarness(_dir.File("memories.db"), miniLm.Embedder);
    }

    public async Task DisposeAsync()
    {
        _memory.Dispose();
        _dir.Dispose();
        await _h.DisposeAsync();
    }

    private MemoryJobs Jobs(ConsolidationOptions? consolidation = null)
    {
        consolidation ??= new ConsolidationOptions { Model = "cheap-model", Interval = TimeSpan.FromHours(1) };
        var consolidator = new MemoryConsolidator(new SqliteConsolidationStore(_memory.Database!, TimeProvider.System), _memory.Writer,
            new Microsoft.Extensions.AI.ChatClientBuilder(new AI.Chat.OpenAiModelChatClient(new AI.Chat.ModelEndpointOptions { ApiUrl = _h.Model.BaseUrl })).Build(),
            consolidation, _clock, _h.Log.CreateLogger<MemoryConsolidator>());
        return new MemoryJobs(new FactExtractionTrigger(_h.Options, _clock), _h.Job, consolidator, consolidation, _clock, _h.Log.CreateLogger<MemoryJobs>());
    }

    [Fact]
    public async Task AfterUserMessage_EveryThirdMessage_HandsOutAnExtractionThatRuns()
    {
        var jobs = Jobs();
        var messages = await _h.ConversationAsync(FactHarness.Dm, "I have a cat.", "Nice!", "Her name is Tofu.", "Cute!", "She is three.");
        _h.Model.Enqueue(FakeReply.Text($$"""{"operations": [{"op": "add", "id": null, "subject": "user", "key": "pet.cat.name", "value": "Tofu", "confidence": 1, "reason": null, "evidence": [{{messages[2].Id}}]}]}"""));

        var due = new[] { jobs.AfterUserMessage(Conversation, PrivacyLevel.DirectMessage), jobs.AfterUserMessage(Conversation, PrivacyLevel.DirectMessage),
            jobs.AfterUserMessage(Conversation, PrivacyLevel.DirectMessage) };

        Assert.Null(due[0]);
        Assert.Null(due[1]);
        await due[2]!(CancellationToken.None);
        Assert.Equal(["Tofu"], (await _h.ActiveAsync()).Select(f => f.Value));
        Assert.Null(jobs.AfterUserMessage(Conversation, PrivacyLevel.DirectMessage));
    }

    [Fact]
    public async Task DueJobs_QuietConversation_ExtractedOnceAfterTheQuietPeriod()
    {
        var jobs = Jobs(new ConsolidationOptions { Enabled = false });
        await _h.ConversationAsync(FactHarness.Dm, "I'm training for a half marathon.");
        jobs.AfterUserMessage(Conversation, PrivacyLevel.DirectMessage);

        Assert.Empty(jobs.DueJobs());
        _clock.Advance(TimeSpan.FromMinutes(11));
        var due = jobs.DueJobs();
        var job = Assert.Single(due);
        await job(CancellationToken.None);

        Assert.Empty(jobs.DueJobs());
        Assert.Equal(1, _h.Model.RequestCount);
        Assert.Contains("half marathon", _h.Model.Requests[0].Messages[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void DueJobs_Consolidation_OncePerInterval()
    {
        var jobs = Jobs();

        Assert.Single(jobs.DueJobs());
        Assert.Empty(jobs.DueJobs());
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(jobs.DueJobs());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(jobs.DueJobs());
    }

    [Fact]
    public async Task Job_StoreFails_LoggedNotThrown()
    {
        var jobs = Jobs();
        _h.Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_h.Database.Path);
        Directory.CreateDirectory(_h.Database.Path);

        await jobs.ExtractFacts(Conversation, PrivacyLevel.DirectMessage)(CancellationToken.None);

        Assert.True(_h.Log.Has(7190));
    }
}
