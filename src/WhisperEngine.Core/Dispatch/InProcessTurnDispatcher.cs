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
    private static readonly IAsyncDisposable NoLease = new Nothing();

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

        Task previous;
        Lease lease;
        lock (_gate)
        {
            lease = Link(key, countsPending: true, out previous);
        }

        try
        {
            await previous.WaitAsync(cancellationToken);
            await _running.WaitAsync(cancellationToken);
            lease.HoldsSlot = true;
            return lease;
        }
        catch
        {
            ReleaseAfter(previous, lease);
            throw;
        }
    }

    public async ValueTask<IAsyncDisposable> AcquireAllAsync(IReadOnlyCollection<ConversationKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = keys.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return NoLease;
        }

        var leases = new Lease[distinct.Count];
        var previous = new Task[distinct.Count];
        // All places in all chains are taken at once, so two holders of several conversations cannot wait on each other.
        lock (_gate)
        {
            for (var i = 0; i < distinct.Count; i++)
            {
                leases[i] = Link(distinct[i], countsPending: false, out previous[i]);
            }
        }

        try
        {
            await Task.WhenAll(previous).WaitAsync(cancellationToken);
            return new MultiLease(leases);
        }
        catch
        {
            for (var i = 0; i < leases.Length; i++)
            {
                ReleaseAfter(previous[i], leases[i]);
            }

            throw;
        }
    }

    /// <summary>Puts a new lease at the end of the conversation's chain; call under <see cref="_gate"/>.</summary>
    private Lease Link(ConversationKey key, bool countsPending, out Task previous)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

        return new Lease(this, key, mine, countsPending);
    }

    /// <summary>Keeps the chain intact after a cancelled wait: whoever queued after us must still wait for our predecessor.</summary>
    private static void ReleaseAfter(Task previous, Lease lease) =>
        _ = previous.ContinueWith(_ => lease.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private sealed class Tail
    {
        public required Task Task { get; set; }
        public int Count { get; set; }
    }

    private sealed class Lease(InProcessTurnDispatcher owner, ConversationKey key, TaskCompletionSource done, bool countsPending) : IAsyncDisposable
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

            if (countsPending)
            {
                Interlocked.Decrement(ref owner._pending);
            }

            done.TrySetResult();
        }
    }

    private sealed class MultiLease(Lease[] leases) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var lease in leases)
            {
                lease.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
