using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Api;

/// <summary>The official OpenAI .NET client talks to <c>serve</c>, which talks to a loopback model.</summary>
public sealed class ServeWithOpenAiClientTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _home = new();
    private FakeOpenAiServer _model = null!;
    private ServeHost _serve = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync();
        _serve = await ServeHost.StartAsync(TestConfig.Load(_home.Path, _model.BaseUrl));
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _model.DisposeAsync();
    }

    public void Dispose() => _home.Dispose();

    private ChatClient Client(string character = "elena") =>
        new(character, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = _serve.V1, RetryPolicy = new ClientRetryPolicy(0) });

    private static ChatCompletionOptions For(string user) => new() { EndUserId = user };

    [Fact]
    public async Task CompleteChat_Plain_ReturnsTheCharactersReplyWithUsage()
    {
        _model.Enqueue(FakeReply.Text("Hola! The tide is out today.", promptTokens: 321, completionTokens: 7));

        var completion = (await Client().CompleteChatAsync([new UserChatMessage("Hi Elena")], For("ann"))).Value;

        Assert.Equal("Hola! The tide is out today.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("elena", completion.Model);
        Assert.Equal(321, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_Streamed_DeliversChunksUsageAndEnds()
    {
        _model.Enqueue(FakeReply.Text("one two three four five", chunks: 5));

        var text = new System.Text.StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("count")], For("ann")))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("one two three four five", text.ToString());
        Assert.True(updates >= 6, $"only {updates} updates: the reply was not streamed");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
    }

    [Fact]
    public async Task CompleteChat_OnlyNewestMessageSent_EngineKeepsTheConversation()
    {
        await Client().CompleteChatAsync([new UserChatMessage("My favourite fish is the garibaldi.")], For("ann"));
        await Client().CompleteChatAsync([new UserChatMessage("What is my favourite fish?")], For("ann"));

        var second = _model.Requests[1].Messages;
        Assert.Contains(second, m => m.Role == "user" && m.Content == "My favourite fish is the garibaldi.");
        Assert.Equal("What is my favourite fish?", second[^1].Content);
    }

    [Fact]
    public async Task CompleteChat_SecondUser_SeesNothingOfTheFirst()
    {
        await Client().CompleteChatAsync([new UserChatMessage("ann-private-detail: my dog is called Biscuit")], For("ann"));
        await Client().CompleteChatAsync([new UserChatMessage("hello, who else talks to you?")], For("bob"));

        var bobRequest = _model.Requests[1];
        Assert.DoesNotContain(bobRequest.Messages, m => m.Content?.Contains("Biscuit", StringComparison.Ordinal) == true);
        Assert.Equal(["system", "user"], bobRequest.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task GetModels_ListsOneEntryPerCharacter()
    {
        var models = (await new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = _serve.V1 })
            .GetOpenAIModelClient().GetModelsAsync()).Value;

        Assert.Equal(["elena", "marcus"], models.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task CompleteChat_UnknownCharacter_Gets404InOpenAiErrorShape()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client("nobody").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, ex.Status);
        Assert.Contains("nobody", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _model.RequestCount);
    }

    [Fact]
    public async Task CompleteChat_ModelDown_Gets502AndServerKeepsServing()
    {
        _model.DefaultReply = FakeReply.Error(503);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")], For("ann")));
        Assert.Equal(502, ex.Status);

        _model.DefaultReply = FakeReply.Text("I'm back.");
        var completion = (await Client().CompleteChatAsync([new UserChatMessage("hi again")], For("ann"))).Value;
        Assert.Equal("I'm back.", completion.Content[0].Text);
        // The message of the failed turn was kept and reaches the model with the next one.
        Assert.Contains(_model.Requests[^1].Messages, m => m.Content?.Contains("hi", StringComparison.Ordinal) == true && m.Content.Contains("hi again", StringComparison.Ordinal));
    }
}
