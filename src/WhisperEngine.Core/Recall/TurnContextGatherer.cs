using Microsoft.Extensions.Logging;

namespace WhisperEngine.Core.Recall;

/// <summary>
/// Asks every <see cref="ITurnContextProvider"/> for its sections (in parallel, on the thread pool, under one
/// deadline) and tells every <see cref="ITurnObserver"/> about completed turns. Never fails a turn: a provider that
/// throws or is late, and an observer that throws, are logged and left out.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed partial class TurnContextGatherer
{
    private readonly IReadOnlyList<ITurnContextProvider> _providers;
    private readonly IReadOnlyList<ITurnObserver> _observers;
    private readonly TurnContextOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TurnContextGatherer(IReadOnlyList<ITurnContextProvider> providers, IReadOnlyList<ITurnObserver> observers, TurnContextOptions options,
        TimeProvider time, ILogger logger)
    {
        _providers = providers;
        _observers = observers;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public static TurnContextGatherer None { get; } = new([], [], new TurnContextOptions { MaxPromptTokens = 0 }, TimeProvider.System,
        Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    public int MaxPromptTokens => _providers.Count == 0 ? 0 : _options.MaxPromptTokens;

    /// <summary>Starts gathering; the task never faults (an empty list when nothing could be had in time).</summary>
    public Task<IReadOnlyList<ContextSection>> GatherAsync(TurnContextRequest request, CancellationToken cancellationToken)
    {
        if (_providers.Count == 0 || _options.MaxPromptTokens <= 0)
        {
            return Task.FromResult<IReadOnlyList<ContextSection>>([]);
        }

        return GatherCoreAsync(request, cancellationToken);
    }

    public void Completed(CompletedTurn turn)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnTurnCompleted(turn);
            }
            catch (Exception ex)
            {
                Log.ObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }
    }

    private async Task<IReadOnlyList<ContextSection>> GatherCoreAsync(TurnContextRequest request, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // On the thread pool: providers may compute (embed the query) before their first await, and the turn's
        // store calls go on meanwhile.
        var tasks = _providers.Select(p => Task.Run(() => p.GetSectionsAsync(request, stop.Token).AsTask(), CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(_options.Timeout, _time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The turn itself is being cancelled; it notices on its own.
        }
        catch (Exception)
        {
            // A timeout or a provider's failure: each is reported below.
        }

        await stop.CancelAsync();
        var sections = new List<ContextSection>();
        for (var i = 0; i < tasks.Length; i++)
        {
            var task = tasks[i];
            var name = _providers[i].GetType().Name;
            if (task.IsCompletedSuccessfully)
            {
                sections.AddRange(task.Result);
            }
            else if (task.IsFaulted)
            {
                Log.ProviderFailed(_logger, name, request.Conversation.BotId, task.Exception.InnerException ?? task.Exception);
            }
            else
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    Log.ProviderTimedOut(_logger, name, request.Conversation.BotId, _options.Timeout.TotalMilliseconds);
                }

                // A late failure must not surface as an unobserved task exception.
                _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }

        return sections;
    }

    private static partial class Log
    {
        [LoggerMessage(7110, LogLevel.Warning, "Context provider {Provider} failed for a turn of {BotId}; the turn goes on without its memories")]
        public static partial void ProviderFailed(ILogger logger, string provider, string botId, Exception exception);

        [LoggerMessage(7111, LogLevel.Warning, "Context provider {Provider} did not answer within {TimeoutMs} ms for a turn of {BotId}; the turn goes on without its memories")]
        public static partial void ProviderTimedOut(ILogger logger, string provider, string botId, double timeoutMs);

        [LoggerMessage(7112, LogLevel.Warning, "Turn observer {Observer} failed; ignored")]
        public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);
    }
}
