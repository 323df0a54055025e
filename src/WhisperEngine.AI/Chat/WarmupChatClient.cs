using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Answers the calls of serve's warm-up turns (<see cref="WarmupTurns"/>) in front of the provider: a chat reply through
/// an OpenAI client whose transport answers in memory (<see cref="WarmupModelHandler"/>), so the provider client's code
/// runs as for a real call; an empty fact extraction and a one-line summary directly. Every other call goes to the provider.
/// </summary>
/// <remarks>
/// A call is a warm-up call only by its <see cref="UsageContext"/>'s tenant, which the turn pipeline and the memory jobs
/// set from the conversation: the background work a warm-up turn causes is answered here too. Thread-safe.
/// </remarks>
public sealed class WarmupChatClient : DelegatingChatClient
{
    /// <summary>The model id the local answers carry.</summary>
    public const string ModelId = "whisperengine-warmup";

    private readonly Lazy<OpenAiModelChatClient> _model = new(() =>
        new OpenAiModelChatClient(new ModelEndpointOptions { ApiUrl = new Uri("http://warmup.invalid/v1"), ApiKey = "warmup" }, new WarmupModelHandler()));

    public WarmupChatClient(IChatClient provider)
        : base(provider)
    {
    }

    /// <summary>A rough token count for the warm-up answers' usage (four characters a token): nothing is billed by it.</summary>
    internal static int RoughTokens(string text) => (text.Length / 4) + 1;

    /// <summary>The warm-up model's chat reply to <paramref name="userText"/>.</summary>
    public static string ChatAnswer(string userText) =>
        $"That sounds good. You said: {(userText.Length <= 200 ? userText : userText[..200])} Tell me more about it when you have a moment.";

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        switch (WarmupTask(options))
        {
            case null:
                return base.GetResponseAsync(messages, options, cancellationToken);
            case "chat":
                return _model.Value.GetResponseAsync(messages, options, cancellationToken);
            case var task:
                var text = Answer(task);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
                {
                    ModelId = ModelId,
                    FinishReason = ChatFinishReason.Stop,
                    Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = RoughTokens(text) },
                });
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => WarmupTask(options) switch
        {
            null => base.GetStreamingResponseAsync(messages, options, cancellationToken),
            "chat" => _model.Value.GetStreamingResponseAsync(messages, options, cancellationToken),
            var task => StreamAsync(Answer(task), cancellationToken),
        };

    protected override void Dispose(bool disposing)
    {
        if (disposing && _model.IsValueCreated)
        {
            _model.Value.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = ModelId };
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 1, OutputTokenCount = RoughTokens(text) })],
        };
    }

    private static string? WarmupTask(ChatOptions? options) =>
        options.GetEngineProperty<UsageContext>(UsageContext.PropertyName) is { } usage && WarmupTurns.IsWarmup(usage.TenantId) ? usage.Task : null;

    private static string Answer(string task) => task == "facts" ? """{"operations": []}""" : "A short conversation to warm the server up.";
}
