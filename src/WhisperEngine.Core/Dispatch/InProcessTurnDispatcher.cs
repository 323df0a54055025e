using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Core.Dispatch;

/// <summary>
/// Per-conversation FIFO chains plus a global limit on turns running at once. Each acquire links a new
/// completion source after the conversation's current tail, so order is exactly arrival order (a
/// <see cref="SemaphoreSlim"/> alone does not promise FIFO).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InProcessTurnDispatcher : ITurnDispatcher
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ConversationKey, Tail> _tails = [];
    private readonly SemaphoreSlim _running;
    private readonly int _queueCapacity;
    private int _pending;

    public InProcessTurnDispatcher(int maxConcurrentTurns, int queueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentTurns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _running = new SemaphoreSlim(maxConcurrentTurns, maxConcurrentTurns);
        _queueCapacity = queueCapacity;
    }

    /// <summary>Turns accepted and not yet finished (running or waiting).</summary>
    public int Pending => Volatile.Read(ref _pending);

    public async ValueTask<IAsyncDisposable> AcquireAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _pending) > _queueCapacity)
        {
            Interlocked.Decrement(ref _pending);
            throw new TurnException(TurnErrorKind.Busy, "Too many messages are waiting; try again in a moment.");
        }

        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            if (_tails.TryGetValue(key, out var tail))
            {
                previous = tail.Task;
                tail.Task = mine.Task;
                tail.Count++;
            }
            else
            {
                previous = Task.CompletedTask;
                _tails[key] = new Tail { Task = mine.Task, Count = 1 };
            }
        }

        var lease = new Lease(this, key, mine);
        try
        {
            await previous.WaitAsync(cancellationToken);
            await _running.WaitAsync(cancellationToken);
            lease.HoldsSlot = true;
            return lease;
        }
        catch
        {
            // Keep the chain intact: whoever queued after us must still wait for our predecessor.
            _ = previous.ContinueWith(_ => lease.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private sealed class Tail
    {
        public required Task Task { get; set; }
        public int Count { get; set; }
    }

    private sealed class Lease(InProcessTurnDispatcher owner, ConversationKey key, TaskCompletionSource done) : IAsyncDisposable
    {
        private int _released;

        public bool HoldsSlot { get; set; }

        public ValueTask DisposeAsync()
        {
            Release();
            return ValueTask.CompletedTask;
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            if (HoldsSlot)
            {
                owner._running.Release();
            }

            lock (owner._gate)
            {
                if (owner._tails.TryGetValue(key, out var tail) && --tail.Count == 0)
                {
                    owner._tails.Remove(key);
                }
            }

            Interlocked.Decrement(ref owner._pending);
            done.TrySetResult();
        }
    }
}
