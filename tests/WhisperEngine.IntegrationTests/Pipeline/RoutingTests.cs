using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>The model is chosen per message, the reason is in the ledger, and a failing model is deferred.</summary>
public sealed class RoutingTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _home.Dispose();

    private Task<EngineHost> Engine() => EngineHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl, new Dictionary<string, string>
    {
        ["routing.cheap_model"] = "cheap-model",
        ["routing.strong_model"] = "strong-model",
        ["routing.strong_min_chars"] = "200",
        ["llm.chat.max_retries"] = "0",
    }));

    private static TurnRequest Turn(string text) => new(new ConversationKey("default", "elena", "ann", "api"), PrivacyLevel.DirectMessage, text);

    [Fact]
    public async Task Route_ShortAndDemandingMessages_GoToCheapAndStrongModelsWithTheReasonRecorded()
    {
        await using var engine = await Engine();

        await engine.Pipeline.RunAsync(Turn("hi there!"));
        await engine.Pipeline.RunAsync(Turn("Can you explain how tides work?"));
        await engine.Pipeline.RunAsync(Turn(new string('a', 250)));

        Assert.Equal(["cheap-model", "strong-model", "strong-model"], _model.Requests.Select(r => r.Model));
        var ledger = (await engine.Get<IUsageLedger>().GetRecentAsync(10)).Reverse().ToList();
        Assert.StartsWith("simple message: cheap model", ledger[0].RoutingReason, StringComparison.Ordinal);
        Assert.Contains("asks to 'explain'", ledger[1].RoutingReason, StringComparison.Ordinal);
        Assert.Contains("250 characters", ledger[2].RoutingReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_CheapModelKeepsFailing_IsDeferredBehindTheStrongModel()
    {
        _model.Responder = request => request.Model == "cheap-model" ? FakeReply.Error(500) : FakeReply.Text("from " + request.Model);
        await using var engine = await Engine();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("from strong-model", (await engine.Pipeline.RunAsync(Turn($"hello {i}"))).Reply);
        }

        var before = _model.RequestCount;
        var result = await engine.Pipeline.RunAsync(Turn("hello again"));

        Assert.Equal("from strong-model", result.Reply);
        Assert.Equal(["strong-model"], _model.Requests.Skip(before).Select(r => r.Model));
        Assert.Contains("deferred cheap-model (3 failures in a row)", result.RoutingReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptCap_OfTheRoutedModel_CutsThePromptToItAndTheReasonSaysSo()
    {
        var settings = new Dictionary<string, string>
        {
            ["routing.cheap_model"] = "cheap-model",
            ["routing.strong_model"] = "strong-model",
            ["routing.strong_min_chars"] = "200",
            ["llm.prompt_caps.cheap-model"] = "1500",
            ["engine.max_prompt_tokens"] = "8000",
            ["memory.enabled"] = "false",
        };
        var tokens = new WhisperEngine.AI.Tokens.TiktokenTokenCounter();
        int PromptTokens(RecordedRequest r) => r.Messages.Sum(m => tokens.CountTokens(m.Content ?? "") + 4);
        var filler = string.Join(' ', Enumerable.Repeat("the garden is green today", 14));
        TurnResult capped;
        await using (var engine = await EngineHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl, settings)))
        {
            for (var i = 0; i < 30; i++)
            {
                await engine.Pipeline.RunAsync(Turn($"{i}: {filler}"));
            }

            capped = await engine.Pipeline.RunAsync(Turn("and one more thing"));
            var ledger = await engine.Get<IUsageLedger>().GetRecentAsync(1);
            Assert.Contains("prompt capped at 1500 tokens for cheap-model", ledger[0].RoutingReason, StringComparison.Ordinal);
        }

        var cappedRequest = _model.Requests[^1];
        Assert.Equal("cheap-model", cappedRequest.Model);
        Assert.InRange(PromptTokens(cappedRequest), 1, 1500);
        Assert.Equal("and one more thing", cappedRequest.Messages[^1].Content);
        Assert.Contains("prompt capped at 1500 tokens for cheap-model", capped.RoutingReason, StringComparison.Ordinal);

        // The same conversation without the cap: the tier's budget holds the whole history.
        settings.Remove("llm.prompt_caps.cheap-model");
        await using (var engine = await EngineHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl, settings)))
        {
            var uncapped = await engine.Pipeline.RunAsync(Turn("and one more thing"));
            Assert.DoesNotContain("prompt capped", uncapped.RoutingReason, StringComparison.Ordinal);
        }

        var full = _model.Requests[^1];
        Assert.Equal("cheap-model", full.Model);
        Assert.InRange(PromptTokens(full), 1501, 8000);
        Assert.StartsWith("0: the garden", full.Messages[1].Content, StringComparison.Ordinal);
        Assert.True(full.Messages.Count > cappedRequest.Messages.Count);
    }
}
