using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// The provider end of the pipeline: one OpenAI-compatible endpoint, any model on it, picked per call by
/// <see cref="ChatOptions.ModelId"/>. Retries of the SDK are off: the pipeline's own retry client decides.
/// </summary>
/// <remarks>Thread-safe; one instance (one connection pool) per endpoint.</remarks>
public sealed class OpenAiModelChatClient : IChatClient
{
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, IChatClient> _models = new(StringComparer.Ordinal);

    public OpenAiModelChatClient(ModelEndpointOptions options)
        : this(options, null)
    {
    }

    /// <summary>With <paramref name="handler"/>, requests go to it instead of the network (the warm-up's model, <see cref="WarmupModelHandler"/>).</summary>
    internal OpenAiModelChatClient(ModelEndpointOptions options, HttpMessageHandler? handler)
    {
        var endpoint = options.ApiUrl ?? throw new ArgumentException("llm.chat.api_url is not set.", nameof(options));
        // Local servers (Ollama, LM Studio) need no key, but the SDK requires a non-empty credential.
        var key = string.IsNullOrEmpty(options.ApiKey) ? "not-needed" : options.ApiKey;
        _client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.RequestTimeout + TimeSpan.FromSeconds(5),
            UserAgentApplicationId = "whisperengine",
            Transport = handler is null ? null : new HttpClientPipelineTransport(new HttpClient(handler)),
        });
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetResponseAsync(messages, options.WithoutEngineProperties(), cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetStreamingResponseAsync(messages, options.WithoutEngineProperties(), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        foreach (var client in _models.Values)
        {
            client.Dispose();
        }
    }

    private IChatClient For(ChatOptions? options)
    {
        var model = options?.ModelId;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("ChatOptions.ModelId must name the model.", nameof(options));
        }

        return _models.GetOrAdd(model, m => _client.GetChatClient(m).AsIChatClient());
    }
}
