using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>
/// What a <see cref="FakeChatClient"/> does for one call: a list of steps (text updates, usage, delays that honour
/// cancellation, exceptions). Like a real stream, every step first checks the cancellation token.
/// </summary>
public sealed class ChatScript
{
    private readonly List<Func<CancellationToken, Task<ChatResponseUpdate?>>> _steps = [];
    private string? _modelId;

    /// <summary>A reply streamed as one update per chunk.</summary>
    public static ChatScript Reply(params string[] chunks) => new ChatScript().Text(chunks);

    /// <summary>A call that fails before any update.</summary>
    public static ChatScript Failing(Exception exception) => new ChatScript().Throw(exception);

    /// <summary>Sets the model id every update of this script reports.</summary>
    public ChatScript ReportingModel(string modelId)
    {
        _modelId = modelId;
        return this;
    }

    /// <summary>One text update per chunk.</summary>
    public ChatScript Text(params string[] chunks)
    {
        foreach (var chunk in chunks)
        {
            _steps.Add(_ => Task.FromResult<ChatResponseUpdate?>(new ChatResponseUpdate(ChatRole.Assistant, chunk) { ModelId = _modelId }));
        }

        return this;
    }

    /// <summary>An update carrying only token usage, as providers send at the end of a stream.</summary>
    public ChatScript Usage(long inputTokens, long outputTokens, long? cachedInputTokens = null)
    {
        var details = new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
            CachedInputTokenCount = cachedInputTokens,
        };
        _steps.Add(_ => Task.FromResult<ChatResponseUpdate?>(
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(details)]) { ModelId = _modelId }));
        return this;
    }

    /// <summary>Waits, honouring cancellation, without producing an update.</summary>
    public ChatScript Delay(TimeSpan delay)
    {
        _steps.Add(async cancellationToken =>
        {
            await Task.Delay(delay, cancellationToken);
            return null;
        });
        return this;
    }

    /// <summary>Fails the stream at this point.</summary>
    public ChatScript Throw(Exception exception)
    {
        _steps.Add(_ => Task.FromException<ChatResponseUpdate?>(exception));
        return this;
    }

    /// <summary>Plays the steps.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> PlayAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var step in _steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await step(cancellationToken) is { } update)
            {
                yield return update;
            }
        }
    }
}
