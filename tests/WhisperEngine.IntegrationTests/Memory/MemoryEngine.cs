using Microsoft.Extensions.DependencyInjection;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The engine as the CLI wires it (desktop profile, SQLite file, real MiniLM) on a <see cref="ManualClock"/>, with
/// the fake model capturing every prompt: for tests of memory through the turn pipeline.
/// </summary>
public sealed class MemoryEngine : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _home;
    private readonly Dictionary<string, string> _settings;

    private MemoryEngine(TempDirectory home, FakeOpenAiServer model, ManualClock clock, Dictionary<string, string> settings, EngineHost engine)
    {
        _home = home;
        Model = model;
        Clock = clock;
        _settings = settings;
        Engine = engine;
    }

    public FakeOpenAiServer Model { get; }

    public ManualClock Clock { get; }

    public EngineHost Engine { get; private set; }

    /// <summary>Starts an engine on a new home; <paramref name="settings"/> override the desktop profile.</summary>
    public static async Task<MemoryEngine> StartAsync(IDictionary<string, string>? settings = null)
    {
        var home = new TempDirectory();
        var model = await FakeOpenAiServer.StartAsync();
        model.Responder = r => FakeReply.Text("Noted, " + (r.Messages[^1].Content?.Length ?? 0) + ".");
        var clock = new ManualClock(Start);
        var all = new Dictionary<string, string>
        {
            // Deterministic on a loaded test machine: recall is never cut short by the timeout here (the timeout has its own tests).
            ["memory.recall_timeout_ms"] = "60000",
            ["tier"] = "desktop",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var engine = await StartEngineAsync(home, model, clock, all);
        return new MemoryEngine(home, model, clock, all, engine);
    }

    /// <summary>Stops the engine (draining its background queue) and starts a new one on the same SQLite file.</summary>
    public async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        Engine = await StartEngineAsync(_home, Model, Clock, _settings);
    }

    /// <summary>Runs a turn, waits for its memories to be written, and returns the system message the model got.</summary>
    public async Task<string> SayAsync(string user, string channel, PrivacyLevel privacy, string text, string bot = "elena", string tenant = ConversationKey.DefaultTenant,
        string? userName = null)
    {
        var before = Model.RequestCount;
        await Engine.Pipeline.RunAsync(new TurnRequest(new ConversationKey(tenant, bot, user, channel), privacy, text) { UserName = userName });
        await Engine.BackgroundIdleAsync();
        // The first chat request of the turn (an embeddings endpoint, when configured, gets requests of its own).
        var request = Model.Requests.Skip(before).First(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        return request.Messages[0].Content ?? "";
    }

    /// <summary>Everything the model was sent in the latest request, every message joined.</summary>
    public string LastPromptText() => string.Join("\n", Model.Requests[^1].Messages.Select(m => m.Content));

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Model.DisposeAsync();
        _home.Dispose();
    }

    private static Task<EngineHost> StartEngineAsync(TempDirectory home, FakeOpenAiServer model, ManualClock clock, Dictionary<string, string> settings) =>
        EngineHost.StartAsync(TestConfig.Load(home.Path, model.BaseUrl, settings), replace: services => services.AddSingleton<TimeProvider>(clock));
}
