using Microsoft.Extensions.AI;
using WhisperEngine.AI.Chat;
using WhisperEngine.Core.Usage;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.AI;

public sealed class UsageRecordingChatClientTests
{
    // 12 characters (3 tokens) and 11 characters (3 tokens) with the fake counter.
    private static readonly ChatMessage[] Prompt = [new(ChatRole.System, "You are Ada."), new(ChatRole.User, "Hello there")];

    private readonly InMemoryUsageLedger _ledger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ModelEndpointOptions _endpoint = new() { ApiUrl = new Uri("https://openrouter.ai/api/v1") };

    [Fact]
    public async Task GetStreamingResponseAsync_ProviderReportsUsage_RecordsOneRecordWithThoseTokens()
    {
        var inner = new FakeChatClient(new ChatScript().Text("Hi ", "there!").Usage(120, 7, cachedInputTokens: 20));
        var client = Create(inner);

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        var record = Assert.Single(_ledger.Records);
        Assert.Equal(120, record.PromptTokens);
        Assert.Equal(7, record.CompletionTokens);
        Assert.Equal(20, record.CachedTokens);
        Assert.False(record.TokensEstimated);
        Assert.Equal("ok", record.Outcome);
        Assert.Equal("vendor/model", record.Model);
        Assert.Equal("openrouter", record.Provider);
        Assert.Equal(_time.UtcNow, record.Timestamp);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PricedModel_RecordsCostFromThePriceTable()
    {
        _endpoint.Prices["vendor/model"] = new ModelPrice(PromptPerMillion: 2m, CompletionPerMillion: 10m);
        var inner = new FakeChatClient(new ChatScript().Text("Hi").Usage(1_000, 500));
        var client = Create(inner);

        await client.GetStreamingResponseAsync(Prompt, Options("VENDOR/model")).ToChatResponseAsync();

        // (1000 * 2 + 500 * 10) / 1e6
        Assert.Equal((0.007m, CostSources.PriceTable), (Assert.Single(_ledger.Records).CostUsd, _ledger.Records[0].CostSource));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnpricedModel_RecordsNoCost()
    {
        _endpoint.Prices["other/model"] = new ModelPrice(1m, 1m);
        var client = Create(new FakeChatClient(new ChatScript().Text("Hi").Usage(10, 1)));

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        Assert.Equal((null, null), (Assert.Single(_ledger.Records).CostUsd, _ledger.Records[0].CostSource));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ProviderReportsNoUsage_RecordsLocallyCountedTokensAsEstimated()
    {
        var client = Create(new FakeChatClient(ChatScript.Reply("Hi ", "there!")));

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        var record = Assert.Single(_ledger.Records);
        Assert.True(record.TokensEstimated);
        Assert.Equal((3 + 4) + (3 + 4), record.PromptTokens);
        Assert.Equal(3, record.CompletionTokens); // "Hi there!" is 9 characters.
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamedText_RecordsTimeToFirstTokenBeforeTheEnd()
    {
        var inner = new FakeChatClient(new ChatScript().Text("Hi").Delay(TimeSpan.FromMilliseconds(100)).Text(" there"));
        var client = Create(inner);

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        var record = Assert.Single(_ledger.Records);
        Assert.NotNull(record.TimeToFirstTokenMs);
        Assert.True(record.TimeToFirstTokenMs >= 0);
        Assert.True(record.LatencyMs - record.TimeToFirstTokenMs >= 80, $"latency {record.LatencyMs}, ttft {record.TimeToFirstTokenMs}");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SlowFirstToken_MeasuresTheWait()
    {
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromMilliseconds(100)).Text("Hi"));
        var client = Create(inner);

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        Assert.True(Assert.Single(_ledger.Records).TimeToFirstTokenMs >= 80);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Failure_RecordsTheFailureKindAndRethrows()
    {
        var failure = new ModelCallException("busy", "vendor/model", 429, true, null, "http_429");
        var client = Create(new FakeChatClient(ChatScript.Failing(failure)));

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync());

        Assert.Same(failure, ex);
        var record = Assert.Single(_ledger.Records);
        Assert.Equal("http_429", record.Outcome);
        Assert.Null(record.TimeToFirstTokenMs);
        Assert.Equal(0, record.PromptTokens);
        Assert.Equal(0, record.CompletionTokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamDroppedAfterText_RecordsStreamDroppedWithTheTextSoFar()
    {
        var client = Create(new FakeChatClient(new ChatScript().Text("Partial reply").Throw(new IOException("reset"))));

        await Assert.ThrowsAsync<IOException>(() => client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync());

        var record = Assert.Single(_ledger.Records);
        Assert.Equal("stream_dropped", record.Outcome);
        Assert.NotNull(record.TimeToFirstTokenMs);
        Assert.Equal(4, record.CompletionTokens); // "Partial reply" is 13 characters.
        Assert.Equal(14, record.PromptTokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_RecordsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        var client = Create(new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(30)).Text("late")));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.GetStreamingResponseAsync(Prompt, Options("vendor/model"), cts.Token).ToChatResponseAsync(cts.Token));

        Assert.Equal("cancelled", Assert.Single(_ledger.Records).Outcome);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsReading_RecordsAbandoned()
    {
        var client = Create(new FakeChatClient(ChatScript.Reply("one", "two", "three")));

        await foreach (var update in client.GetStreamingResponseAsync(Prompt, Options("vendor/model")))
        {
            Assert.Equal("one", update.Text);
            break;
        }

        Assert.Equal("abandoned", Assert.Single(_ledger.Records).Outcome);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UsageContext_IsCopiedIntoTheRecord()
    {
        var options = Options("vendor/model");
        options.AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [UsageContext.PropertyName] = new UsageContext("tenant-x", "ada", "user-7", "summary", "configured model"),
        };
        var client = Create(new FakeChatClient(ChatScript.Reply("Hi")));

        await client.GetStreamingResponseAsync(Prompt, options).ToChatResponseAsync();

        var record = Assert.Single(_ledger.Records);
        Assert.Equal(
            ("tenant-x", "ada", "user-7", "summary", (string?)"configured model"),
            (record.TenantId, record.BotId, record.UserId, record.Task, record.RoutingReason));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoUsageContext_RecordsDefaults()
    {
        var client = Create(new FakeChatClient(ChatScript.Reply("Hi")));

        await client.GetStreamingResponseAsync(Prompt, Options("vendor/model")).ToChatResponseAsync();

        var record = Assert.Single(_ledger.Records);
        Assert.Equal(("default", "", "", "chat"), (record.TenantId, record.BotId, record.UserId, record.Task));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TwoCalls_RecordsTwoRecords()
    {
        var client = Create(new FakeChatClient(ChatScript.Reply("Hi")));

        await client.GetStreamingResponseAsync(Prompt, Options("model-1")).ToChatResponseAsync();
        await client.GetStreamingResponseAsync(Prompt, Options("model-2")).ToChatResponseAsync();

        Assert.Equal(["model-1", "model-2"], _ledger.Records.Select(r => r.Model));
    }

    [Fact]
    public async Task GetResponseAsync_Success_RecordsOneRecordWithoutTimeToFirstToken()
    {
        var client = Create(new FakeChatClient(new ChatScript().Text("Hi there!").Usage(50, 3)));

        var response = await client.GetResponseAsync(Prompt, Options("vendor/model"));

        Assert.Equal("Hi there!", response.Text);
        var record = Assert.Single(_ledger.Records);
        Assert.Equal(("ok", 50, 3, false), (record.Outcome, record.PromptTokens, record.CompletionTokens, record.TokensEstimated));
        Assert.Null(record.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task GetResponseAsync_Failure_RecordsTheFailureKind()
    {
        var client = Create(new FakeChatClient(ChatScript.Failing(new IOException("reset"))));

        await Assert.ThrowsAsync<IOException>(() => client.GetResponseAsync(Prompt, Options("vendor/model")));

        Assert.Equal("stream_dropped", Assert.Single(_ledger.Records).Outcome);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DeferredRecords_StreamEndsBeforeTheWriteAndTheCallerWaitsForIt()
    {
        var write = new TaskCompletionSource();
        _ledger.WriteGate = write.Task;
        var deferred = new DeferredUsageRecords();
        var options = Options("vendor/model");
        options.AdditionalProperties = new() { [UsageContext.PropertyName] = new UsageContext("t1", "ada", "ann", "chat", null) { Deferred = deferred } };
        var client = Create(new FakeChatClient(new ChatScript().Text("Hi").Usage(10, 1)));

        var response = await client.GetStreamingResponseAsync(Prompt, options).ToChatResponseAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Hi", response.Text);
        var recorded = deferred.WhenRecordedAsync();
        Assert.False(recorded.IsCompleted);
        Assert.Empty(_ledger.Records);
        write.SetResult();
        await recorded.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("ann", 10), (Assert.Single(_ledger.Records).UserId, _ledger.Records[0].PromptTokens));
    }

    private UsageRecordingChatClient Create(FakeChatClient inner) => new(inner, _ledger, new FakeTokenCounter(), _endpoint, _time);

    private static ChatOptions Options(string model) => new() { ModelId = model };
}
