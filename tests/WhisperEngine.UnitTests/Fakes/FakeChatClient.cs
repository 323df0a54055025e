using Microsoft.Extensions.AI;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>
/// A scriptable <see cref="IChatClient"/>: call n plays script n (the last script repeats) and every call is
/// recorded. No network.
/// </summary>
public sealed class FakeChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<ChatScript> _scripts;
    private readonly List<FakeChatCall> _calls = [];

    public FakeChatClient(params ChatScript[] scripts)
    {
        if (scripts.Length == 0)
        {
            throw new ArgumentException("Give at least one script.", nameof(scripts));
        }

        _scripts = [.. scripts];
    }

    /// <summary>Runs synchronously when a call arrives, before any update is produced.</summary>
    public Action<FakeChatCall>? OnCall { get; set; }

    /// <summary>The calls received so far, in order.</summary>
    public IReadOnlyList<FakeChatCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var script = Begin(messages, options, streaming: false);
        return await script.PlayAsync(cancellationToken).ToChatResponseAsync(cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Begin(messages, options, streaming: true).PlayAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private ChatScript Begin(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var call = new FakeChatCall([.. messages], options, streaming);
        ChatScript script;
        lock (_gate)
        {
            script = _scripts[Math.Min(_calls.Count, _scripts.Count - 1)];
            _calls.Add(call);
        }

        OnCall?.Invoke(call);
        return script;
    }
}
