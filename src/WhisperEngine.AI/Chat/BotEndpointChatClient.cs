using Microsoft.Extensions.AI;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// The provider end for several bots: a bot with its own endpoint or API key gets its own client (and connection
/// pool); the others share the deployment's. The bot is read from the call's <see cref="UsageContext"/>.
/// </summary>
public sealed class BotEndpointChatClient(IChatClient shared, IReadOnlyDictionary<string, IChatClient> perBot) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => shared.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        shared.Dispose();
        foreach (var client in perBot.Values)
        {
            client.Dispose();
        }
    }

    private IChatClient For(ChatOptions? options) =>
        options.GetEngineProperty<UsageContext>(UsageContext.PropertyName) is { } usage && perBot.TryGetValue(usage.BotId, out var client) ? client : shared;
}
