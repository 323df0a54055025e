using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.FakeOpenAi;

public sealed class FakeOpenAiServerTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new SystemChatMessage("You are a test."),
        new UserChatMessage("Say hello."),
    ];

    [Fact]
    public async Task CompleteChat_PlainRequest_ReturnsScriptedTextAndUsage()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("Hi there, friend.", promptTokens: 7, completionTokens: 3));
        var client = CreateClient(server);

        ChatCompletion completion = await client.CompleteChatAsync(Conversation);

        Assert.Equal("Hi there, friend.", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("test-model", completion.Model);
        Assert.Equal(7, completion.Usage.InputTokenCount);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(10, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChat_Always_RecordsModelMessagesAndAuthorization()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var client = CreateClient(server);

        ChatCompletion completion = await client.CompleteChatAsync(Conversation);

        Assert.Equal("Hello from the fake model.", completion.Content[0].Text);
        var request = Assert.Single(server.Requests);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer test", request.Authorization);
        Assert.Equal("test-model", request.Model);
        Assert.False(request.Stream);
        Assert.Equal(
            [new RecordedMessage("system", "You are a test."), new RecordedMessage("user", "Say hello.")],
            request.Messages);
        Assert.NotNull(request.Json);
        Assert.Equal("test-model", request.Json.Value.GetProperty("model").GetString());
    }

    [Fact]
    public async Task CompleteChatStreaming_ClientRequestsUsage_StreamsChunksAndReportsUsage()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("One two three four.", promptTokens: 5));
        var client = CreateClient(server);

        var text = new StringBuilder();
        var contentUpdates = 0; // the first chunk carries the role and an empty content part
        ChatFinishReason? finishReason = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Conversation))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                if (part.Text.Length > 0)
                {
                    contentUpdates++;
                }
            }

            finishReason ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("One two three four.", text.ToString());
        Assert.Equal(4, contentUpdates);
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        Assert.NotNull(usage);
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(4, usage.OutputTokenCount);
        Assert.Equal(9, usage.TotalTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Fact]
    public async Task PostChatCompletions_StreamWithoutUsageOption_WritesOpenAiEventStream()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("abcdef", chunks: 3));
        using var http = new HttpClient();
        using var content = new StringContent(
            """{"model":"raw-model","stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}""",
            Encoding.UTF8,
            "application/json");

        using var response = await http.PostAsync(new Uri(server.BaseUrl + "/chat/completions"), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.Equal(5, chunks.Length); // role, three content pieces, finish; no usage chunk
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.Equal("raw-model", c.GetProperty("model").GetString()));
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToArray();
        Assert.Equal("assistant", deltas[0].GetProperty("role").GetString());
        Assert.Equal("", deltas[0].GetProperty("content").GetString());
        Assert.Equal(["ab", "cd", "ef"], deltas[1..4].Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("stop", chunks[4].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("hi", Assert.Single(server.Requests).Messages[0].Content);
    }

    [Fact]
    public async Task CompleteChat_RateLimited_ThrowsClientResultExceptionWith429()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Error(429, "Slow down.", "requests", retryAfter: TimeSpan.FromSeconds(1.5)));
        var client = CreateClient(server);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(Conversation));

        Assert.Equal(429, ex.Status);
        Assert.Contains("Slow down.", ex.Message, StringComparison.Ordinal);
        var raw = ex.GetRawResponse();
        Assert.NotNull(raw);
        Assert.True(raw.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("2", retryAfter);
        Assert.Equal(1, server.RequestCount); // no retries
    }

    [Fact]
    public async Task CompleteChatStreaming_DroppedStream_DeliversPartialTextThenThrows()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.DropStream("Half of an ans", afterChunks: 2));
        var client = CreateClient(server);
        var text = new StringBuilder();

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync(Conversation))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }
        });

        Assert.Equal("Half of an ans", text.ToString());
    }

    [Fact]
    public async Task CompleteChat_MalformedJson_Throws()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.MalformedJson());
        var client = CreateClient(server);

        await Assert.ThrowsAnyAsync<JsonException>(() => client.CompleteChatAsync(Conversation));
    }

    [Fact]
    public async Task CompleteChat_QueueThenResponderThenDefault_AnswersInThatOrder()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.DefaultReply = FakeReply.Text("default");
        server.Enqueue(FakeReply.Text("queued"));
        server.Responder = request => request.Messages[^1].Content == "echo"
            ? FakeReply.Text("echoed " + request.Model)
            : server.DefaultReply;
        var client = CreateClient(server);

        ChatCompletion first = await client.CompleteChatAsync(new UserChatMessage("echo"));
        ChatCompletion second = await client.CompleteChatAsync(new UserChatMessage("echo"));
        ChatCompletion third = await client.CompleteChatAsync(new UserChatMessage("other"));

        Assert.Equal("queued", first.Content[0].Text);
        Assert.Equal("echoed test-model", second.Content[0].Text);
        Assert.Equal("default", third.Content[0].Text);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task CompleteChat_HangLongerThanNetworkTimeout_Throws()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Hang(TimeSpan.FromSeconds(30)));
        var client = CreateClient(server, networkTimeout: TimeSpan.FromMilliseconds(300));
        var started = DateTimeOffset.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CompleteChatAsync(Conversation));

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
        // The server still answers the next request; asked without the 300 ms timeout, which a loaded test run can exceed.
        ChatCompletion next = await CreateClient(server).CompleteChatAsync(Conversation);
        Assert.Equal("Hello from the fake model.", next.Content[0].Text);
    }

    private static ChatClient CreateClient(FakeOpenAiServer server, TimeSpan? networkTimeout = null)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = server.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (networkTimeout is { } timeout)
        {
            options.NetworkTimeout = timeout;
        }

        return new ChatClient("test-model", new ApiKeyCredential("test"), options);
    }
}
