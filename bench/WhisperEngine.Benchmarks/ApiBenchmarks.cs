using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using WhisperEngine.Api;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.Testing;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// What <c>serve</c> adds to a model call, seen by an OpenAI client: the baseline is the official OpenAI .NET client
/// calling <see cref="FakeOpenAiServer"/> (zero delay) directly; the measured path is the same client calling the real
/// <see cref="ApiServer"/>, which runs a turn against the same fake server (validation, two stored messages and a
/// usage row in SQLite, history read, context assembly, the chat-client pipeline, its own HTTP call).
/// </summary>
/// <remarks>
/// Everything runs in this process on loopback: client, serve and fake model share the CPUs. The serve conversation
/// is seeded with 50 turns (100 messages, the history window) before measuring, so each measured turn sends a full
/// history to the model, as a long-running conversation does. serve always calls the model with streaming.
/// </remarks>
[Config(typeof(PerOperationConfig))]
[MedianColumn]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ApiBenchmarks
{
    private const string Reply = "Sure, see you tomorrow then.";
    private const int SeedTurns = 50;

    private const string UserText = "Shall we continue our chat about the garden tomorrow?";

    private static readonly ChatMessage[] Messages = [new UserChatMessage(UserText)];

    // The conversation ChatCompletionsEndpoint uses for model "elena" and no user.
    private static readonly ConversationKey ServeConversation = new(ConversationKey.DefaultTenant, "elena", "default", "api");

    private string? _home;
    private FakeOpenAiServer? _fake;
    private WebApplication? _serve;
    private ChatClient _direct = null!;
    private ChatClient _viaServe = null!;
    private TurnPipeline _pipeline = null!;
    private List<ChatMessage> _fullPrompt = null!;

    /// <summary>storage.sqlite.synchronous of serve: full (the desktop profile) or normal.</summary>
    [Params("full", "normal")]
    public string Synchronous { get; set; } = "full";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("CompleteChat")]
    public async Task<string> Direct() => (await _direct.CompleteChatAsync(Messages)).Value.Content[0].Text;

    [Benchmark]
    [BenchmarkCategory("CompleteChat")]
    public async Task<string> ViaServe() => (await _viaServe.CompleteChatAsync(Messages)).Value.Content[0].Text;

    /// <summary>
    /// Not overhead but context for it: the client sending the model directly the prompt serve sends (system prompt
    /// and 100 history messages, captured from the fake server), i.e. the cost of the bigger request alone.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("CompleteChat")]
    public async Task<string> DirectFullPrompt() => (await _direct.CompleteChatAsync(_fullPrompt)).Value.Content[0].Text;

    /// <summary>The turn serve runs for one request, called in process (no client-to-serve HTTP, no endpoint JSON).</summary>
    [Benchmark]
    [BenchmarkCategory("CompleteChat")]
    public async Task<string> EngineTurnOnly() => (await _pipeline.RunAsync(new TurnRequest(ServeConversation, PrivacyLevel.DirectMessage, UserText))).Reply;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Streaming")]
    public Task<int> DirectStreaming() => StreamAsync(_direct);

    [Benchmark]
    [BenchmarkCategory("Streaming")]
    public Task<int> ViaServeStreaming() => StreamAsync(_viaServe);

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    internal static ChatClient CreateClient(string model, Uri endpoint) =>
        new(model, new ApiKeyCredential("bench"), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static async Task<int> StreamAsync(ChatClient client)
    {
        var chars = 0;
        await foreach (var update in client.CompleteChatStreamingAsync(Messages))
        {
            foreach (var part in update.ContentUpdate)
            {
                chars += part.Text.Length;
            }
        }

        if (chars != Reply.Length)
        {
            throw new InvalidOperationException($"Streamed {chars} characters, expected {Reply.Length}.");
        }

        return chars;
    }

    private async Task SetupAsync()
    {
        _fake = await FakeOpenAiServer.StartAsync();
        _fake.DefaultReply = FakeReply.Text(Reply);
        _home = BenchEnvironment.CreateTempHome("api");
        var configuration = BenchEnvironment.LoadConfiguration(_home, new Dictionary<string, string>
        {
            ["llm.chat.api_url"] = _fake.BaseUrl.ToString(),
            ["llm.chat.model"] = FakeOpenAiServer.ModelId,
            ["server.urls"] = "http://127.0.0.1:0",
            ["logging.level"] = "warning",
            ["storage.sqlite.synchronous"] = Synchronous,
        });
        _serve = ApiServer.Build(configuration);
        await _serve.StartAsync();
        var serveUrl = _serve.Urls.First();

        _direct = CreateClient(FakeOpenAiServer.ModelId, _fake.BaseUrl);
        _viaServe = CreateClient("elena", new Uri(serveUrl.TrimEnd('/') + "/v1"));

        for (var i = 0; i < SeedTurns; i++)
        {
            var text = await ViaServe();
            if (text != Reply)
            {
                throw new InvalidOperationException($"serve answered '{text}', expected '{Reply}'.");
            }
        }

        _pipeline = _serve.Services.GetRequiredService<TurnPipeline>();
        await Direct();
        await DirectStreaming();
        await ViaServeStreaming();
        await EngineTurnOnly();
        var toModel = _fake.Requests[^1]; // sent by the engine for EngineTurnOnly
        _fullPrompt = PromptOf(toModel.Body);
        Console.WriteLine($"// serve -> model: stream={toModel.Stream}, include_usage={toModel.IncludeUsage}, {_fullPrompt.Count} messages, request body {toModel.Body.Length} chars");
        await DirectFullPrompt();
    }

    private static List<ChatMessage> PromptOf(string requestBody)
    {
        using var json = JsonDocument.Parse(requestBody);
        var messages = new List<ChatMessage>();
        foreach (var message in json.RootElement.GetProperty("messages").EnumerateArray())
        {
            var content = message.GetProperty("content").GetString() ?? "";
            messages.Add(message.GetProperty("role").GetString() switch
            {
                "system" => new SystemChatMessage(content),
                "assistant" => new AssistantChatMessage(content),
                _ => new UserChatMessage(content),
            });
        }

        return messages;
    }

    private async Task CleanupAsync()
    {
        if (_serve is not null)
        {
            await _serve.StopAsync();
            await _serve.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        BenchEnvironment.DeleteQuietly(_home);
    }
}
