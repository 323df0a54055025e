using Microsoft.Extensions.Logging;

namespace WhisperEngine.Discord.Rest;

/// <summary>
/// Keeps "bot is typing…" on in a channel until disposed, renewing it before Discord lets it lapse.
/// A failing indicator is logged, never thrown: it must not cost the reply.
/// </summary>
public sealed class TypingScope : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    internal TypingScope(DiscordRestClient rest, string channelId, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = RunAsync(rest, channelId, interval, time, logger, _stop.Token);
    }

    /// <summary>Stops renewing the indicator; Discord clears it when the bot's message arrives or after a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task RunAsync(DiscordRestClient rest, string channelId, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await rest.TriggerTypingAsync(channelId, cancellationToken);
                }
                catch (DiscordException ex)
                {
                    RestLog.TypingFailed(logger, channelId, ex.Message);
                    if (!ex.IsTransient)
                    {
                        return;
                    }
                }

                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the reply is on its way.
        }
    }
}
