using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Chat;
using WhisperEngine.Core.Models;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.AI;

public sealed class FallbackChatClientTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hello")];

    [Fact]
    public async Task GetStreamingResponseAsync_PrimaryAndFirstFallbackFail_MovesToTheNextModelEachTime()
    {
        var inner = new FakeChatClient(
            ChatScript.Failing(new ModelCallException("down", "primary", 503, true, null, "http_503")),
            ChatScript.Failing(new IOException("reset")),
            ChatScript.Reply("From the ", "third model"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);

        var response = await client.GetStreamingResponseAsync(Prompt, Options("primary", "fallback-1", "fallback-2")).ToChatResponseAsync();

        Assert.Equal("From the third model", response.Text);
        Assert.Equal(["primary", "fallback-1", "fallback-2"], inner.Calls.Select(c => c.Options?.ModelId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PrimaryAnswers_DoesNotCallFallbacks()
    {
        var inner = new FakeChatClient(ChatScript.Reply("Hi"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);

        var response = await client.GetStreamingResponseAsync(Prompt, Options("primary", "fallback-1")).ToChatResponseAsync();

        Assert.Equal("Hi", response.Text);
        Assert.Equal(["primary"], inner.Calls.Select(c => c.Options?.ModelId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureAfterText_DoesNotFallBack()
    {
        var failure = new IOException("reset");
        var inner = new FakeChatClient(new ChatScript().Text("Half a ").Throw(failure), ChatScript.Reply("Whole answer"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Prompt, Options("primary", "fallback-1")))
            {
                received.Add(update.Text);
            }
        });

        Assert.Same(failure, ex);
        Assert.Equal(["Half a "], received);
        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EveryModelFails_ThrowsTheLastFailure()
    {
        var last = new ModelCallException("also down", "fallback-1", 500, true, null, "http_500");
        var inner = new FakeChatClient(ChatScript.Failing(new IOException("reset")), ChatScript.Failing(last));
        var client = new FallbackChatClient(inner, NullLogger.Instance);

        var ex = await Assert.ThrowsAsync<ModelCallException>(() => client.GetStreamingResponseAsync(Prompt, Options("primary", "fallback-1")).ToChatResponseAsync());

        Assert.Same(last, ex);
        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FallbackListRepeatsPrimary_CallsEachModelOnce()
    {
        var inner = new FakeChatClient(ChatScript.Failing(new IOException("reset")));
        var client = new FallbackChatClient(inner, NullLogger.Instance);

        await Assert.ThrowsAsync<IOException>(() => client.GetStreamingResponseAsync(Prompt, Options("primary", "primary", "fallback-1")).ToChatResponseAsync());

        Assert.Equal(["primary", "fallback-1"], inner.Calls.Select(c => c.Options?.ModelId));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelled_DoesNotFallBack()
    {
        using var cts = new CancellationTokenSource();
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(30)).Text("late"), ChatScript.Reply("fallback"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);
        cts.CancelAfter(TimeSpan.FromMilliseconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.GetStreamingResponseAsync(Prompt, Options("primary", "fallback-1"), cts.Token).ToChatResponseAsync(cts.Token));

        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FallbackAttempt_GetsItsOwnOptionsCopy()
    {
        var inner = new FakeChatClient(ChatScript.Failing(new IOException("reset")), ChatScript.Reply("ok"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);
        var options = Options("primary", "fallback-1");
        options.Temperature = 0.3f;

        await client.GetStreamingResponseAsync(Prompt, options).ToChatResponseAsync();

        Assert.Equal("primary", options.ModelId);
        Assert.All(inner.Calls, c => Assert.Equal(0.3f, c.Options?.Temperature));
        Assert.All(inner.Calls, c => Assert.Equal("Hello", Assert.Single(c.Messages).Text));
    }

    [Fact]
    public async Task GetResponseAsync_PrimaryFails_MovesToTheNextModel()
    {
        var inner = new FakeChatClient(ChatScript.Failing(new IOException("reset")), ChatScript.Reply("From fallback"));
        var client = new FallbackChatClient(inner, NullLogger.Instance);

        var response = await client.GetResponseAsync(Prompt, Options("primary", "fallback-1"));

        Assert.Equal("From fallback", response.Text);
        Assert.Equal(["primary", "fallback-1"], inner.Calls.Select(c => c.Options?.ModelId));
        Assert.All(inner.Calls, c => Assert.False(c.Streaming));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoModel_ThrowsArgumentException()
    {
        var client = new FallbackChatClient(new FakeChatClient(ChatScript.Reply("ok")), NullLogger.Instance);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetStreamingResponseAsync(Prompt, new ChatOptions()).ToChatResponseAsync());
    }

    private static ChatOptions Options(string primary, params string[] fallbacks) => new()
    {
        ModelId = primary,
        AdditionalProperties = new AdditionalPropertiesDictionary { [ChatOptionKeys.FallbackModels] = fallbacks },
    };
}
