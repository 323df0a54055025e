using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Bounds one attempt: the first token must come within <see cref="ModelEndpointOptions.FirstTokenTimeout"/> and the
/// whole reply within <see cref="ModelEndpointOptions.RequestTimeout"/>. Expiry throws <see cref="TimeoutException"/>;
/// the caller's own cancellation still surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class TimeoutChatClient(IChatClient inner, ModelEndpointOptions options) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(options.RequestTimeout);
        try
        {
            return await base.GetResponseAsync(messages, options1, cts.Token);
        }
        catch (Exception ex) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            throw new TimeoutException($"Model '{options1?.ModelId}' did not answer within {options.RequestTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(options.FirstTokenTimeout < options.RequestTimeout ? options.FirstTokenTimeout : options.RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        var first = true;
        await using var stream = base.GetStreamingResponseAsync(messages, options1, cts.Token).GetAsyncEnumerator(cts.Token);
        while (true)
        {
            try
            {
                if (!await stream.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(first
                    ? $"Model '{options1?.ModelId}' sent no token within {options.FirstTokenTimeout.TotalSeconds:0.#} s."
                    : $"Model '{options1?.ModelId}' did not finish its reply within {options.RequestTimeout.TotalSeconds:0.#} s.", ex);
            }

            if (first && !string.IsNullOrEmpty(stream.Current.Text))
            {
                first = false;
                var remaining = options.RequestTimeout - Stopwatch.GetElapsedTime(started);
                cts.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
            }

            yield return stream.Current;
        }
    }
}
