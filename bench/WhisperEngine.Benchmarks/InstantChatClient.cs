using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// A model that answers instantly, in process: a fixed short reply streamed as three updates, no network. With
/// <paramref name="reportUsage"/> the last update also carries token usage, as an OpenAI-compatible endpoint does when
/// asked for <c>stream_options.include_usage</c> (the engine's OpenAI client asks); without it the engine counts the
/// tokens itself, as it does for endpoints that report none.
/// </summary>
internal sealed class InstantChatClient(bool reportUsage = false) : IChatClient
{
    public const int ReportedPromptTokens = 4_000;
    public const int ReportedCompletionTokens = 12;

    public const string ModelId = "instant-model";

    private static readonly string[] Pieces = ["That sounds lovely. ", "Tell me more about it ", "when you have a moment."];

    public static string ReplyText { get; } = string.Concat(Pieces);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, ReplyText))
        {
            ModelId = options?.ModelId ?? ModelId,
            FinishReason = ChatFinishReason.Stop,
        });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        for (var i = 0; i < Pieces.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var last = i == Pieces.Length - 1;
            var update = new ChatResponseUpdate(ChatRole.Assistant, Pieces[i])
            {
                ModelId = options?.ModelId ?? ModelId,
                FinishReason = last ? ChatFinishReason.Stop : null,
            };
            if (last && reportUsage)
            {
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = ReportedPromptTokens,
                    OutputTokenCount = ReportedCompletionTokens,
                    TotalTokenCount = ReportedPromptTokens + ReportedCompletionTokens,
                }));
            }

            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
