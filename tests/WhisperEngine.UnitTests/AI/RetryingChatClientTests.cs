using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Chat;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.AI;

public sealed class RetryingChatClientTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hello")];
    private static readonly ChatOptions Options = new() { ModelId = "model-a" };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task GetStreamingResponseAsync_TransientFailureThenSuccess_RetriesAndReturnsTheReply()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient()), ChatScript.Failing(new IOException("reset")), ChatScript.Reply("Hi ", "there"));
        var client = Create(inner, maxRetries: 2);

        var response = await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal("Hi there", response.Text);
        Assert.Equal(3, inner.Calls.Count);
        Assert.All(inner.Calls, c => Assert.Equal("model-a", c.Options?.ModelId));
        Assert.Equal(2, _time.RequestedDelays.Count);
    }

    [Fact]
    public async Task GetResponseAsync_TransientFailureThenSuccess_RetriesAndReturnsTheReply()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient()), ChatScript.Reply("Hi"));
        var client = Create(inner, maxRetries: 2);

        var response = await client.GetResponseAsync(Prompt, Options);

        Assert.Equal("Hi", response.Text);
        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Backoff_DoublesEachRetryWithinTheJitter()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient()), ChatScript.Failing(Transient()), ChatScript.Failing(Transient()), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 3, baseDelay: TimeSpan.FromMilliseconds(100));

        await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        var delays = _time.RequestedDelays.Select(d => d.TotalMilliseconds).ToList();
        Assert.Equal(3, delays.Count);
        Assert.InRange(delays[0], 80, 120);
        Assert.InRange(delays[1], 160, 240);
        Assert.InRange(delays[2], 320, 480);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RetryAfterLongerThanBackoff_WaitsExactlyRetryAfter()
    {
        var retryAfter = TimeSpan.FromMilliseconds(50);
        var inner = new FakeChatClient(ChatScript.Failing(Transient(retryAfter)), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2, baseDelay: TimeSpan.FromMilliseconds(1));

        await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal([retryAfter], _time.RequestedDelays);
        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RetryAfterHeaderOn429_IsHonoured()
    {
        var rateLimited = new ClientResultException("rate limited", new FakePipelineResponse(429, new Dictionary<string, string> { ["Retry-After"] = "2" }));
        var inner = new FakeChatClient(ChatScript.Failing(rateLimited), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2, baseDelay: TimeSpan.FromMilliseconds(1));

        await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal([TimeSpan.FromSeconds(2)], _time.RequestedDelays);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RetryAfterLongerThanMaxRetryDelay_FailsAtOnceForTheFallback()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient(TimeSpan.FromMinutes(5))), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync());

        Assert.Equal(429, ex.StatusCode);
        Assert.Single(inner.Calls);
        Assert.Empty(_time.RequestedDelays);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Unauthorized_DoesNotRetry()
    {
        var unauthorized = new ClientResultException("unauthorized", new FakePipelineResponse(401));
        var inner = new FakeChatClient(ChatScript.Failing(unauthorized), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync());

        Assert.Equal(401, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("http_401", ex.Outcome);
        Assert.Contains("LLM_CHAT_API_KEY", ex.Message, StringComparison.Ordinal);
        Assert.Same(unauthorized, ex.InnerException);
        Assert.Single(inner.Calls);
        Assert.Empty(_time.RequestedDelays);
    }

    [Fact]
    public async Task GetResponseAsync_NonTransientFailure_DoesNotRetry()
    {
        var inner = new FakeChatClient(ChatScript.Failing(new InvalidOperationException("bug")), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetResponseAsync(Prompt, Options));

        Assert.Equal("error", ex.Outcome);
        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureAfterText_DoesNotRetry()
    {
        var inner = new FakeChatClient(new ChatScript().Text("Hel").Throw(new IOException("reset")), ChatScript.Reply("Hello"));
        var client = Create(inner, maxRetries: 2);
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Prompt, Options))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], received);
        Assert.Equal("stream_dropped", ex.Outcome);
        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AlwaysFailing_GivesUpAfterMaxRetries()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient()));
        var client = Create(inner, maxRetries: 2);

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync());

        Assert.True(ex.IsTransient);
        Assert.Equal(3, inner.Calls.Count);
        Assert.Equal(2, _time.RequestedDelays.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ZeroMaxRetries_CallsOnce()
    {
        var inner = new FakeChatClient(ChatScript.Failing(Transient()), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 0);

        await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync());

        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_DoesNotRetry()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var inner = new FakeChatClient(ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetStreamingResponseAsync(Prompt, Options, cts.Token).ToChatResponseAsync(cts.Token));

        Assert.Single(inner.Calls);
        Assert.Empty(_time.RequestedDelays);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_InnerCancellationNotFromCaller_IsRetriedAsATimeout()
    {
        var inner = new FakeChatClient(ChatScript.Failing(new TaskCanceledException("request aborted")), ChatScript.Reply("ok"));
        var client = Create(inner, maxRetries: 2);

        var response = await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, inner.Calls.Count);
    }

    private RetryingChatClient Create(FakeChatClient inner, int maxRetries, TimeSpan? baseDelay = null) =>
        new(inner, new ModelEndpointOptions { MaxRetries = maxRetries, RetryBaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(10) }, _time,
            NullLogger.Instance);

    private static ModelCallException Transient(TimeSpan? retryAfter = null) =>
        new("The model endpoint answered HTTP 429.", "model-a", 429, isTransient: true, retryAfter, "http_429");
}
