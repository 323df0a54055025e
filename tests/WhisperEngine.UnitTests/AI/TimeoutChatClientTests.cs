using Microsoft.Extensions.AI;
using WhisperEngine.AI.Chat;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.AI;

public sealed class TimeoutChatClientTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hello")];
    private static readonly ChatOptions Options = new() { ModelId = "slow-model" };

    [Fact]
    public async Task GetStreamingResponseAsync_NoFirstTokenInTime_ThrowsTimeoutException()
    {
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(5)).Text("too late"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromMilliseconds(100), request: TimeSpan.FromSeconds(30)));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync())
            .WaitAsync(TimeSpan.FromSeconds(3));

        Assert.Contains("slow-model", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no token", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(5)).Text("too late"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromSeconds(10), request: TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var ex = await Record.ExceptionAsync(() => client.GetStreamingResponseAsync(Prompt, Options, cts.Token).ToChatResponseAsync(cts.Token))
            .WaitAsync(TimeSpan.FromSeconds(3));

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstTokenInTimeThenSlowerThanFirstTokenTimeout_Completes()
    {
        // After the first token only the whole-request limit applies.
        var inner = new FakeChatClient(new ChatScript().Text("first").Delay(TimeSpan.FromMilliseconds(300)).Text(" second"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromMilliseconds(100), request: TimeSpan.FromSeconds(10)));

        var response = await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal("first second", response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ReplyLongerThanRequestTimeout_ThrowsTimeoutException()
    {
        var inner = new FakeChatClient(new ChatScript().Text("first").Delay(TimeSpan.FromSeconds(5)).Text(" second"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromMilliseconds(100), request: TimeSpan.FromMilliseconds(200)));
        var received = new List<string>();

        var ex = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Prompt, Options))
            {
                received.Add(update.Text);
            }
        }).WaitAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(["first"], received);
        Assert.Contains("did not finish", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_NoAnswerWithinRequestTimeout_ThrowsTimeoutException()
    {
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(5)).Text("too late"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromSeconds(10), request: TimeSpan.FromMilliseconds(100)));

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync(Prompt, Options)).WaitAsync(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        var inner = new FakeChatClient(new ChatScript().Delay(TimeSpan.FromSeconds(5)).Text("too late"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromSeconds(10), request: TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var ex = await Record.ExceptionAsync(() => client.GetResponseAsync(Prompt, Options, cts.Token)).WaitAsync(TimeSpan.FromSeconds(3));

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FastReply_PassesThrough()
    {
        var inner = new FakeChatClient(ChatScript.Reply("a", "b", "c"));
        var client = new TimeoutChatClient(inner, Endpoint(firstToken: TimeSpan.FromSeconds(1), request: TimeSpan.FromSeconds(5)));

        var response = await client.GetStreamingResponseAsync(Prompt, Options).ToChatResponseAsync();

        Assert.Equal("abc", response.Text);
        Assert.Equal("slow-model", Assert.Single(inner.Calls).Options?.ModelId);
    }

    private static ModelEndpointOptions Endpoint(TimeSpan firstToken, TimeSpan request) =>
        new() { FirstTokenTimeout = firstToken, RequestTimeout = request };
}
