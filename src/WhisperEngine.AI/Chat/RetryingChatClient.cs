using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Retries transient failures (429, 5xx, timeouts, dropped connections, garbled responses) with exponential
/// backoff and jitter, honouring Retry-After. A stream is retried only while no text has reached the caller.
/// Every failure leaves as a classified <see cref="ModelCallException"/>.
/// </summary>
public sealed partial class RetryingChatClient(IChatClient inner, ModelEndpointOptions options, TimeProvider time, ILogger logger)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, CancellationToken cancellationToken = default)
    {
        var model = options1?.ModelId ?? "";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(messages, options1, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = ModelCallException.From(ex is OperationCanceledException ? new TimeoutException("The request timed out.", ex) : ex, model);
                await WaitOrThrowAsync(failure, attempt, cancellationToken);
            }
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options1 = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options1?.ModelId ?? "";
        for (var attempt = 0; ; attempt++)
        {
            var sentText = false;
            ModelCallException? failure = null;
            await using (var stream = base.GetStreamingResponseAsync(messages, options1, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            yield break;
                        }
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = ModelCallException.From(ex is OperationCanceledException ? new TimeoutException("The request timed out.", ex) : ex, model);
                        break;
                    }

                    sentText |= !string.IsNullOrEmpty(stream.Current.Text);
                    yield return stream.Current;
                }
            }

            if (sentText)
            {
                // The caller has part of a reply; a retry would repeat it. Let the caller decide.
                throw failure!;
            }

            await WaitOrThrowAsync(failure!, attempt, cancellationToken);
        }
    }

    private async Task WaitOrThrowAsync(ModelCallException failure, int attempt, CancellationToken cancellationToken)
    {
        if (!failure.IsTransient || attempt >= options.MaxRetries)
        {
            throw failure;
        }

        var backoff = options.RetryBaseDelay * Math.Pow(2, attempt) * (0.8 + Random.Shared.NextDouble() * 0.4);
        var delay = failure.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
        if (delay > options.MaxRetryDelay)
        {
            // Waiting this long would stall the reply; let the fallback model answer instead.
            throw failure;
        }

        Log.Retrying(logger, failure.Model, failure.Outcome, attempt + 1, options.MaxRetries, delay.TotalMilliseconds);
        await Task.Delay(delay, time, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Warning, "Model {Model} failed ({Outcome}); retry {Attempt} of {MaxRetries} in {DelayMs:0} ms")]
        public static partial void Retrying(ILogger logger, string model, string outcome, int attempt, int maxRetries, double delayMs);
    }
}
