using System.Text.Json;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Privacy;

/// <summary>
/// Facts in a person's data: counted, exported with their history, erased per bot or for every bot; the bot's global
/// facts stay. Through the engine as it is wired; each storage backend subclasses this.
/// </summary>
public abstract class FactUserDataConformance : IAsyncLifetime
{
    private static readonly FactOwner AnnElena = new("default", "elena", "ann");
    private static readonly FactOwner AnnMarcus = new("default", "marcus", "ann");
    private static readonly FactOwner BobElena = new("default", "elena", "bob");
    private static readonly FactOwner Global = FactOwner.Global("default", "elena");

    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;
    private EngineHost _engine = null!;

    protected IFactStore Facts => _engine.Get<IFactStore>();

    private UserDataService UserData => _engine.Get<UserDataService>();

    /// <summary>Settings that select the backend (on top of the test configuration).</summary>
    protected abstract Dictionary<string, string> Settings();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _engine = new EngineHost(TestConfig.Load(_home.Path, _model.BaseUrl, Settings()));
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _model.DisposeAsync();
        await CleanUpAsync();
        _home.Dispose();
    }

    private static NewFact Fact(string key, string value) => new(FactSubject.User, key, value, 0.9, "message:1", PrivacyLevel.DirectMessage, "dm");

    private async Task SeedAsync()
    {
        await _engine.Pipeline.RunAsync(new TurnRequest(new ConversationKey("default", "elena", "ann", "dm"), PrivacyLevel.DirectMessage, "hello"));
        await Facts.AddAsync(AnnElena, Fact("lives_in", "Lisbon"));
        await Facts.AddAsync(AnnElena, Fact("lives_in", "Porto"));
        await Facts.AddAsync(AnnMarcus, Fact("job", "nurse"));
        await Facts.SetExtractedUpToAsync(new ExtractionMark(new ConversationKey("default", "marcus", "ann", "dm"), 5));
        await Facts.AddAsync(BobElena, Fact("job", "pilot"));
        await Facts.AddAsync(Global, Fact("home_town", "Valencia") with { Subject = FactSubject.Bot, Source = FactSources.Admin });
    }

    private static long Rows(UserDataInventory inventory) =>
        inventory.Sections.Where(s => s.Name == "facts").SelectMany(s => s.Tables).Where(t => t.Table == "facts").Sum(t => t.Rows);

    [Fact]
    public async Task Describe_CountsThePersonsFactsWithHistory()
    {
        await SeedAsync();

        Assert.Equal(3, Rows(await UserData.DescribeAsync(new UserDataScope("default", "ann"))));
        Assert.Equal(2, Rows(await UserData.DescribeAsync(new UserDataScope("default", "ann", "elena"))));
        Assert.Equal(1, Rows(await UserData.DescribeAsync(new UserDataScope("default", "bob"))));
    }

    [Fact]
    public async Task Export_WritesFactsWithTheirHistoryInTheDocumentedShape()
    {
        await SeedAsync();
        using var stream = new MemoryStream();

        await UserData.ExportAsync(new UserDataScope("default", "ann"), stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var facts = json.RootElement.GetProperty("facts").EnumerateArray().ToList();
        Assert.Equal(["elena:lives_in=Lisbon", "elena:lives_in=Porto", "marcus:job=nurse"],
            facts.Select(f => $"{f.GetProperty("bot").GetString()}:{f.GetProperty("key").GetString()}={f.GetProperty("value").GetString()}"));
        var lisbon = facts[0];
        Assert.Equal(facts[1].GetProperty("id").GetInt64(), lisbon.GetProperty("superseded_by").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, lisbon.GetProperty("retired_at").ValueKind);
        Assert.Equal(("user", "direct_message", "message:1"), (lisbon.GetProperty("subject").GetString(), lisbon.GetProperty("privacy").GetString(),
            lisbon.GetProperty("source").GetString()));
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.DoesNotContain("pilot", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Valencia", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_OneBotThenAll_DeletesThePersonsFactsAndMarksOnly()
    {
        await SeedAsync();

        var elena = await UserData.EraseAsync(new UserDataScope("default", "ann", "elena"));

        Assert.Equal(2, elena.RowsOf("facts", "facts"));
        Assert.Empty(await Facts.GetAllAsync(AnnElena));
        Assert.Single(await Facts.GetAllAsync(AnnMarcus));

        var all = await UserData.EraseAsync(new UserDataScope("default", "ann"));

        Assert.Equal(1, all.RowsOf("facts", "facts"));
        Assert.Empty(await Facts.GetOwnersAsync("default", "ann"));
        Assert.Equal(0, await Facts.GetExtractedUpToAsync(new ConversationKey("default", "marcus", "ann", "dm")));
        Assert.Single(await Facts.GetAllAsync(BobElena));
        Assert.Single(await Facts.GetAllAsync(Global));
        Assert.True((await UserData.DescribeAsync(new UserDataScope("default", "ann"))).IsEmpty);
    }
}
