using System.Text.Json;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// What exporting and erasing a person's data must do on every storage backend, through the engine as it is wired
/// (real turns with the fake model, so conversations, messages and usage rows exist). Each backend subclasses this.
/// </summary>
public abstract class UserDataConformance : IAsyncLifetime
{
    private readonly TempDirectory _home = new();

    protected FakeOpenAiServer Model { get; private set; } = null!;

    protected EngineHost Engine { get; private set; } = null!;

    protected UserDataService UserData => Engine.Get<UserDataService>();

    /// <summary>Settings that select the backend (on top of the test configuration).</summary>
    protected abstract Dictionary<string, string> Settings();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Model = await FakeOpenAiServer.StartAsync();
        Model.Responder = request => FakeReply.Text($"You said: {request.Messages[^1].Content}", promptTokens: 40, completionTokens: 8);
        var settings = Settings();
        settings["llm.prices.fake-model.prompt"] = "10";
        settings["llm.prices.fake-model.completion"] = "30";
        Engine = new EngineHost(TestConfig.Load(_home.Path, Model.BaseUrl, settings));
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Model.DisposeAsync();
        await CleanUpAsync();
        _home.Dispose();
    }

    protected static ConversationKey Key(string user, string bot = "elena", string channel = "dm") => new("default", bot, user, channel);

    protected Task<TurnResult> SayAsync(ConversationKey key, string text, PrivacyLevel privacy = PrivacyLevel.DirectMessage) =>
        Engine.Pipeline.RunAsync(new TurnRequest(key, privacy, text));

    /// <summary>Two people: ann with two bots in two channels, bob with one.</summary>
    private async Task SeedAsync()
    {
        await SayAsync(Key("ann"), "Ann's first secret");
        await SayAsync(Key("ann", channel: "4001"), "Ann says hi in public", PrivacyLevel.PublicChannel);
        await SayAsync(Key("ann", bot: "marcus"), "Ann talks to Marcus");
        await SayAsync(Key("bob"), "Bob's own words");
    }

    private static long Rows(UserDataInventory inventory, string section, string table) =>
        inventory.Sections.Where(s => s.Name == section).SelectMany(s => s.Tables).Where(t => t.Table == table).Sum(t => t.Rows);

    [Fact]
    public async Task Describe_AfterTurns_CountsEveryTableOfThePerson()
    {
        await SeedAsync();

        var ann = await UserData.DescribeAsync(new UserDataScope("default", "ann"));
        var annWithElena = await UserData.DescribeAsync(new UserDataScope("default", "ann", "elena"));
        var nobody = await UserData.DescribeAsync(new UserDataScope("default", "nobody"));

        Assert.Equal(3, Rows(ann, "conversations", "conversations"));
        Assert.Equal(6, Rows(ann, "conversations", "messages"));
        Assert.Equal(3, Rows(ann, "usage", "usage_ledger"));
        Assert.Equal(["elena", "marcus"], ann.Bots);
        Assert.Equal(2, Rows(annWithElena, "conversations", "conversations"));
        Assert.Equal(2, Rows(annWithElena, "usage", "usage_ledger"));
        Assert.True(nobody.IsEmpty);
    }

    [Fact]
    public async Task Erase_PersonWithEveryBot_DeletesTheirConversationsAnonymisesUsageAndKeepsOthers()
    {
        await SeedAsync();
        var ledgerBefore = await Engine.Get<Core.Usage.IUsageLedger>().GetRecentAsync(100);

        var report = await UserData.EraseAsync(new UserDataScope("default", "ann"));

        Assert.Equal(3, report.RowsOf("conversations", "conversations"));
        Assert.Equal(6, report.RowsOf("conversations", "messages"));
        Assert.Equal(3, report.RowsOf("usage", "usage_ledger"));
        Assert.Equal(3, report.Conversations);
        Assert.True((await UserData.DescribeAsync(new UserDataScope("default", "ann"))).IsEmpty);
        var bob = await UserData.DescribeAsync(new UserDataScope("default", "bob"));
        Assert.Equal(2, Rows(bob, "conversations", "messages"));
        Assert.Equal(1, Rows(bob, "usage", "usage_ledger"));
        var ledgerAfter = await Engine.Get<Core.Usage.IUsageLedger>().GetRecentAsync(100);
        Assert.Equal(ledgerBefore.Count, ledgerAfter.Count);
        Assert.Equal(ledgerBefore.Sum(r => r.CostUsd), ledgerAfter.Sum(r => r.CostUsd));
        Assert.True(ledgerBefore.Sum(r => r.CostUsd) > 0m);
        Assert.DoesNotContain(ledgerAfter, r => r.UserId == "ann");
        Assert.Single(ledgerAfter.Where(r => r.UserId.StartsWith(ErasedUserId.Prefix, StringComparison.Ordinal)).Select(r => r.UserId).Distinct());
    }

    [Fact]
    public async Task Erase_Person_RelationshipCountersGoWithTheirMemories()
    {
        await SeedAsync();
        await Engine.BackgroundIdleAsync();
        var relationships = Engine.Get<IRelationshipStore>();
        var annElena = new MemoryPartition("default", "elena", "ann");
        var bobElena = new MemoryPartition("default", "elena", "bob");
        Assert.Equal(2, (await relationships.GetAsync(annElena))?.TotalExchanges);
        Assert.NotNull(await relationships.GetAsync(annElena with { BotId = "marcus" }));

        await UserData.EraseAsync(new UserDataScope("default", "ann"));

        Assert.Null(await relationships.GetAsync(annElena));
        Assert.Null(await relationships.GetAsync(annElena with { BotId = "marcus" }));
        Assert.Equal(1, (await relationships.GetAsync(bobElena))?.TotalExchanges);
    }

    [Fact]
    public async Task Erase_OneBot_KeepsWhatTheOtherBotKeeps()
    {
        await SeedAsync();

        var report = await UserData.EraseAsync(new UserDataScope("default", "ann", "elena"));

        Assert.Equal(4, report.RowsOf("conversations", "messages"));
        var left = await UserData.DescribeAsync(new UserDataScope("default", "ann"));
        Assert.Equal(["marcus"], left.Bots);
        Assert.Equal(2, Rows(left, "conversations", "messages"));
        Assert.Equal(1, Rows(left, "usage", "usage_ledger"));
    }

    [Fact]
    public async Task Export_Person_WritesEveryMessageAndUsageRowInTheDocumentedShape()
    {
        await SeedAsync();
        using var stream = new MemoryStream();

        await UserData.ExportAsync(new UserDataScope("default", "ann"), stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.Equal("whisperengine.user-data", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("ann", root.GetProperty("user").GetString());
        Assert.Equal("default", root.GetProperty("tenant").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bot").ValueKind);
        var conversations = root.GetProperty("conversations").EnumerateArray().ToList();
        Assert.Equal(3, conversations.Count);
        var general = conversations.Single(c => c.GetProperty("channel").GetString() == "4001");
        Assert.Equal("elena", general.GetProperty("bot").GetString());
        Assert.Equal("public_channel", general.GetProperty("privacy").GetString());
        var messages = general.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Ann says hi in public", messages[0].GetProperty("content").GetString());
        Assert.Equal("You said: Ann says hi in public", messages[1].GetProperty("content").GetString());
        Assert.Equal("fake-model", messages[1].GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Array, messages[0].GetProperty("flags").ValueKind);
        var usage = root.GetProperty("usage").EnumerateArray().ToList();
        Assert.Equal(3, usage.Count);
        Assert.All(usage, u => Assert.Equal("chat", u.GetProperty("task").GetString()));
        Assert.All(usage, u => Assert.True(u.GetProperty("cost_usd").GetDecimal() > 0m));
        Assert.DoesNotContain("Bob's own words", System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_TurnInFlight_WaitsForItSoNothingIsWrittenAfterwards()
    {
        await SayAsync(Key("ann"), "before");
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Model.Responder = request =>
        {
            if (request.Messages[^1].Content == "slow one")
            {
                entered.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(20));
            }

            return FakeReply.Text($"You said: {request.Messages[^1].Content}");
        };
        var turn = SayAsync(Key("ann"), "slow one");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var erase = UserData.EraseAsync(new UserDataScope("default", "ann")).AsTask();
        await Task.Delay(200);
        Assert.False(erase.IsCompleted, "the erasure must wait for the turn in flight");
        release.Set();
        await turn.WaitAsync(TimeSpan.FromSeconds(20));
        var report = await erase.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(4, report.RowsOf("conversations", "messages"));
        Assert.True((await UserData.DescribeAsync(new UserDataScope("default", "ann"))).IsEmpty);
    }

    [Fact]
    public async Task Erase_ThenTalkAgain_StartsAFreshConversation()
    {
        await SeedAsync();
        await UserData.EraseAsync(new UserDataScope("default", "ann"));

        var reply = await SayAsync(Key("ann"), "Do you know me?");

        Assert.Equal("You said: Do you know me?", reply.Reply);
        Assert.Equal(["system", "user"], Model.Requests[^1].Messages.Select(m => m.Role));
        var ann = await UserData.DescribeAsync(new UserDataScope("default", "ann"));
        Assert.Equal(2, Rows(ann, "conversations", "messages"));
        Assert.Equal(1, Rows(ann, "usage", "usage_ledger"));
    }

    [Fact]
    public async Task Erase_Twice_SecondFindsNothing()
    {
        await SeedAsync();
        await UserData.EraseAsync(new UserDataScope("default", "ann"));

        var again = await UserData.EraseAsync(new UserDataScope("default", "ann"));

        Assert.Equal(0, again.TotalRows);
        Assert.Equal(0, again.Conversations);
    }
}
