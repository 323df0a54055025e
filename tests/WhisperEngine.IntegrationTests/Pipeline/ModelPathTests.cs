using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Pipeline;

/// <summary>The whole model path: pipeline, chat-client pipeline, OpenAI SDK, HTTP, loopback model server, SQLite.</summary>
public sealed class ModelPathTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _home.Dispose();

    private static TurnRequest Turn(string text, string user = "ann") =>
        new(new ConversationKey("default", "elena", user, "test"), PrivacyLevel.DirectMessage, text);

    private EngineHost Engine(IDictionary<string, string>? settings = null) => new(TestConfig.Load(_home.Path, _model.BaseUrl, settings));

    [Fact]
    public async Task StreamAsync_ModelStreams_YieldsChunksAndStoresBothMessages()
    {
        _model.Enqueue(FakeReply.Text("The kelp is thriving this spring.", chunks: 4));
        await using var engine = Engine();

        var chunks = new List<string>();
        TurnResult? result = null;
        await foreach (var update in engine.Pipeline.StreamAsync(Turn("How is the kelp?")))
        {
            if (update.Text is not null)
            {
                chunks.Add(update.Text);
            }

            result = update.Result ?? result;
        }

        Assert.True(chunks.Count >= 4);
        Assert.Equal("The kelp is thriving this spring.", string.Concat(chunks));
        Assert.NotNull(result);
        var store = engine.Get<IConversationStore>();
        var conversation = await store.GetOrCreateConversationAsync(Turn("").Conversation, PrivacyLevel.DirectMessage);
        var stored = await store.GetRecentMessagesAsync(conversation, 10);
        Assert.Equal(["How is the kelp?", "The kelp is thriving this spring."], stored.Select(m => m.Content));
        Assert.Equal("fake-model", stored[1].Model);

        var request = Assert.Single(_model.Requests);
        Assert.True(request.Stream);
        Assert.Equal("system", request.Messages[0].Role);
        Assert.Contains("Elena Rodriguez", request.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal(("user", "How is the kelp?"), (request.Messages[^1].Role, request.Messages[^1].Content));
    }

    [Fact]
    public async Task RunAsync_SecondTurn_SendsHistoryWithAlternatingRoles()
    {
        await using var engine = Engine();
        _model.Enqueue(FakeReply.Text("Nice to meet you, Sam."));
        await engine.Pipeline.RunAsync(Turn("Hi, I'm Sam."));
        _model.Enqueue(FakeReply.Text("You told me: Sam."));
        await engine.Pipeline.RunAsync(Turn("What's my name?"));

        var second = _model.Requests[1].Messages;
        Assert.Equal(["system", "user", "assistant", "user"], second.Select(m => m.Role));
        Assert.Equal("Hi, I'm Sam.", second[1].Content);
        Assert.Equal("Nice to meet you, Sam.", second[2].Content);
    }

    [Fact]
    public async Task RunAsync_ProviderReportsCost_LedgerRecordsTheProvidersCostOverThePriceTable()
    {
        // fake-model has a list price in the engine's table; OpenRouter's usage.cost must win over it.
        _model.Enqueue(FakeReply.Text("Priced by the provider.", promptTokens: 1_000, completionTokens: 50, reportedCost: 0.0004215m));
        _model.Enqueue(FakeReply.Text("Priced by the table.", promptTokens: 1_000, completionTokens: 50));
        await using var engine = Engine(new Dictionary<string, string> { ["llm.prices.fake-model.prompt"] = "2", ["llm.prices.fake-model.completion"] = "10" });

        await engine.Pipeline.RunAsync(Turn("first"));
        await engine.Pipeline.RunAsync(Turn("second"));

        var usage = await engine.Get<IUsageLedger>().GetRecentAsync(10);
        Assert.Equal((0.0004215m, CostSources.Provider), (usage[1].CostUsd, usage[1].CostSource));
        Assert.Equal((0.0025m, CostSources.PriceTable), (usage[0].CostUsd, usage[0].CostSource)); // (1000 * 2 + 50 * 10) / 1e6
    }

    [Fact]
    public async Task RunAsync_RateLimitedWithRetryAfter_RetriesAfterTheDelayAndSucceeds()
    {
        _model.Enqueue(FakeReply.Error(429, retryAfter: TimeSpan.FromSeconds(1)));
        _model.Enqueue(FakeReply.Text("Back again."));
        await using var engine = Engine();

        var result = await engine.Pipeline.RunAsync(Turn("hello"));

        Assert.Equal("Back again.", result.Reply);
        Assert.Equal(2, _model.RequestCount);
        var gap = _model.Requests[1].ReceivedAt - _model.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds} ms, before the 1 s Retry-After");
        var usage = await engine.Get<IUsageLedger>().GetRecentAsync(10);
        Assert.Equal(["ok", "http_429"], usage.Select(u => u.Outcome));
    }

    [Fact]
    public async Task RunAsync_ServerErrorsOnPrimary_FallsBackToNextModel()
    {
        _model.Responder = request => request.Model == "fake-model" ? FakeReply.Error(500) : FakeReply.Text($"answered by {request.Model}");
        await using var engine = Engine(new Dictionary<string, string> { ["llm.chat.fallback_models"] = "backup-model", ["llm.chat.max_retries"] = "1" });

        var result = await engine.Pipeline.RunAsync(Turn("hello"));

        Assert.Equal("answered by backup-model", result.Reply);
        Assert.Equal(["fake-model", "fake-model", "backup-model"], _model.Requests.Select(r => r.Model));
        var usage = await engine.Get<IUsageLedger>().GetRecentAsync(10);
        Assert.Equal(3, usage.Count);
        Assert.All(usage, u => Assert.Equal("ann", u.UserId));
        Assert.Contains(usage, u => u.Model == "backup-model" && u.Outcome == "ok" && u.TimeToFirstTokenMs is not null && u.CompletionTokens > 0);
    }

    [Fact]
    public async Task RunAsync_ModelNeverAnswers_TimesOutAndKeepsTheUserMessage()
    {
        _model.DefaultReply = FakeReply.Hang(TimeSpan.FromSeconds(30));
        await using var engine = Engine(new Dictionary<string, string>
        {
            ["llm.chat.first_token_timeout_seconds"] = "0.5",
            ["llm.chat.max_retries"] = "1",
        });

        var ex = await Assert.ThrowsAsync<TurnException>(() => engine.Pipeline.RunAsync(Turn("are you there?")));

        Assert.Equal(TurnErrorKind.ModelUnavailable, ex.Kind);
        Assert.True(ex.UserMessageStored);
        Assert.Contains("sent no token within 0.5 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _model.RequestCount);
        Assert.Equal(1, await engine.Get<IConversationStore>().CountMessagesAsync(Turn("").Conversation));
        var usage = await engine.Get<IUsageLedger>().GetRecentAsync(10);
        Assert.Equal(["timeout", "timeout"], usage.Select(u => u.Outcome));
    }

    [Fact]
    public async Task RunAsync_MalformedJsonThenGoodReply_Recovers()
    {
        _model.Enqueue(FakeReply.MalformedJson());
        _model.Enqueue(FakeReply.Text("All good now."));
        await using var engine = Engine();

        var result = await engine.Pipeline.RunAsync(Turn("hello"));

        Assert.Equal("All good now.", result.Reply);
        var usage = await engine.Get<IUsageLedger>().GetRecentAsync(10);
        Assert.Equal("malformed_response", usage[1].Outcome);
    }

    [Fact]
    public async Task StreamAsync_StreamDropsAfterText_StoresPartialReplyAndFails()
    {
        _model.Enqueue(FakeReply.DropStream("Once upon a time in the", afterChunks: 3));
        await using var engine = Engine();

        var seen = new List<string>();
        var ex = await Assert.ThrowsAsync<TurnException>(async () =>
        {
            await foreach (var update in engine.Pipeline.StreamAsync(Turn("tell me a story")))
            {
                if (update.Text is not null)
                {
                    seen.Add(update.Text);
                }
            }
        });

        Assert.Equal(TurnErrorKind.ModelUnavailable, ex.Kind);
        Assert.Equal("Once upon a time in the", string.Concat(seen));
        var store = engine.Get<IConversationStore>();
        var stored = await store.GetRecentMessagesAsync(await store.GetOrCreateConversationAsync(Turn("").Conversation, PrivacyLevel.DirectMessage), 10);
        Assert.Equal(2, stored.Count);
        Assert.Equal("Once upon a time in the", stored[1].Content);
        Assert.True(stored[1].Flags.HasFlag(MessageFlags.Interrupted));
        Assert.Equal(1, _model.RequestCount);
    }

    [Fact]
    public async Task RunAsync_WrongApiKey_FailsWithoutRetryAndNamesTheSetting()
    {
        _model.DefaultReply = FakeReply.Error(401, type: "invalid_request_error");
        await using var engine = Engine(new Dictionary<string, string> { ["llm.chat.api_key"] = "sk-wrong-key-1234567" });

        var ex = await Assert.ThrowsAsync<TurnException>(() => engine.Pipeline.RunAsync(Turn("hello")));

        Assert.Contains("LLM_CHAT_API_KEY", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-key-1234567", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _model.RequestCount);
        Assert.Equal("Bearer sk-wrong-key-1234567", _model.Requests[0].Authorization);
    }

    [Fact]
    public async Task RunAsync_TwoUsersInParallel_NeitherSeesTheOther()
    {
        _model.Responder = request => FakeReply.Text("ok " + request.Messages[^1].Content);
        await using var engine = Engine();

        await Task.WhenAll(
            engine.Pipeline.RunAsync(Turn("ann-secret-1", "ann")),
            engine.Pipeline.RunAsync(Turn("bob-secret-1", "bob")));
        await Task.WhenAll(
            engine.Pipeline.RunAsync(Turn("ann second", "ann")),
            engine.Pipeline.RunAsync(Turn("bob second", "bob")));

        foreach (var request in _model.Requests)
        {
            var text = string.Join("\n", request.Messages.Skip(1).Select(m => m.Content));
            Assert.False(text.Contains("ann", StringComparison.Ordinal) && text.Contains("bob", StringComparison.Ordinal),
                $"a request mixed two users: {text}");
        }
    }
}
