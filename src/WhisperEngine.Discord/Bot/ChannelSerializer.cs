namespace WhisperEngine.Discord.Bot;

/// <summary>
/// Runs the work of one Discord channel strictly in arrival order, one item after another, whoever sent it;
/// different channels run side by side, at most <c>maxActive</c> at once.
/// </summary>
/// <remarks>Thread-safe. The work must not throw; a channel's queue is dropped once it runs empty.</remarks>
internal sealed class ChannelSerializer(int maxActive)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _active = new(maxActive, maxActive);

    /// <summary>Queues <paramref name="work"/> behind everything queued before in <paramref name="channelId"/>.</summary>
    public Task Enqueue(string channelId, Func<Task> work)
    {
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(channelId) ?? Task.CompletedTask;
            var next = RunAfterAsync(previous, work);
            _tails[channelId] = next;
            _ = next.ContinueWith(
                done =>
                {
                    lock (_lock)
                    {
                        if (_tails.TryGetValue(channelId, out var tail) && tail == done)
                        {
                            _tails.Remove(channelId);
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return next;
        }
    }

    /// <summary>Completes when everything queued so far has run.</summary>
    public Task IdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_tails.Values.ToArray());
        }
    }

    private async Task RunAfterAsync(Task previous, Func<Task> work)
    {
        // Never start the work inside Enqueue's lock.
        await Task.Yield();
        await previous.ConfigureAwait(false);
        await _active.WaitAsync().ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _active.Release();
        }
    }
}
