using Microsoft.Extensions.AI;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Hosting;

/// <summary>Stands in when no model endpoint is configured, so that serve starts and answers with a clear error.</summary>
public sealed class NotConfiguredChatClient : IChatClient
{
    public const string Message = "No model endpoint is configured: set LLM_CHAT_API_URL and LLM_CHAT_MODEL (and LLM_CHAT_API_KEY if the endpoint needs one).";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new TurnException(TurnErrorKind.NotConfigured, Message);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new TurnException(TurnErrorKind.NotConfigured, Message);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
