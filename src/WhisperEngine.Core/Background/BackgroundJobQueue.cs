using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace WhisperEngine.Core.Background;

/// <summary>
/// A bounded <see cref="Channel{T}"/> of post-turn jobs and the workers that drain it. A full queue refuses a job
/// (logged) instead of blocking the turn that offers it. <see cref="RunAsync"/> runs the workers (the host's
/// background service calls it); <see cref="DrainAsync"/> stops taking jobs and waits, up to a timeout, for the
/// queued ones to finish.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed partial class BackgroundJobQueue : IBackgroundJobQueue, IDisposable
{
    private readonly Channel<IBackgroundJob> _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = Completed();
    private Task _workers = Task.CompletedTask;
    private int _pending;
    private long _dropped;
    private long _failed;
    private volatile bool _closed;
    private int _disposed;

    public BackgroundJobQueue(int capacity, ILogger<BackgroundJobQueue> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _logger = logger;
        _channel = Channel.CreateBounded<IBackgroundJob>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Jobs the queue holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Jobs queued or running.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <summary>Jobs refused because the queue was full or closed, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Jobs that threw, since start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public bool TryEnqueue(IBackgroundJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Changed(+1);
        if (_channel.Writer.TryWrite(job))
        {
            return true;
        }

        Changed(-1);
        var dropped = Interlocked.Increment(ref _dropped);
        if (_closed)
        {
            Log.DroppedClosed(_logger, job.Name);
        }
        else
        {
            Log.Dropped(_logger, job.Name, Capacity, dropped);
        }

        return false;
    }

    /// <summary>
    /// Runs <paramref name="workers"/> workers until the queue is drained after <see cref="DrainAsync"/>, or until
    /// <paramref name="cancellationToken"/> fires (running jobs are then cancelled too).
    /// </summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
        _workers = Task.WhenAll(loops).ContinueWith(_ => registration.Dispose(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return _workers;
    }

    /// <summary>
    /// Stops taking jobs and waits up to <paramref name="timeout"/> for the workers to finish the queued ones; then
    /// cancels what is still running. Returns true when everything queued was done.
    /// </summary>
    /// <remarks><paramref name="cancellationToken"/> (the host's own stop deadline) ends the wait early, as the timeout does.</remarks>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        _closed = true;
        _channel.Writer.TryComplete();
        try
        {
            await _workers.WaitAsync(timeout, time ?? TimeProvider.System, cancellationToken);
            Log.Drained(_logger, Pending);
            return Pending == 0;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            var left = Pending;
            await _abort.CancelAsync();
            Log.DrainTimedOut(_logger, timeout.TotalSeconds, left);
            return false;
        }
    }

    /// <summary>Completes when no job is queued or running (at that moment; later jobs may follow).</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _closed = true;
        _channel.Writer.TryComplete();
        _abort.Cancel();
        _abort.Dispose();
    }

    private async Task WorkAsync()
    {
        var reader = _channel.Reader;
        var abort = _abort.Token;
        try
        {
            while (await reader.WaitToReadAsync(abort))
            {
                while (!abort.IsCancellationRequested && reader.TryRead(out var job))
                {
                    try
                    {
                        await job.RunAsync(abort);
                    }
                    catch (OperationCanceledException) when (abort.IsCancellationRequested)
                    {
                        // Stopping: the job was cut short.
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref _failed);
                        Log.JobFailed(_logger, job.Name, ex.GetType().Name, ex);
                    }
                    finally
                    {
                        Changed(-1);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopping without waiting for the rest of the queue.
        }
    }

    private void Changed(int delta)
    {
        lock (_gate)
        {
            _pending += delta;
            if (_pending == 0)
            {
                _idle.TrySetResult();
            }
            else if (_pending == delta && delta > 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private static partial class Log
    {
        [LoggerMessage(7101, LogLevel.Warning, "Background queue full ({Capacity} jobs): job {Job} dropped ({Dropped} dropped since start)")]
        public static partial void Dropped(ILogger logger, string job, int capacity, long dropped);

        [LoggerMessage(7102, LogLevel.Warning, "Background job {Job} failed ({Error}); dropped, not retried")]
        public static partial void JobFailed(ILogger logger, string job, string error, Exception exception);

        [LoggerMessage(7103, LogLevel.Warning, "Background queue not drained within {Seconds} s at shutdown: {Left} jobs cancelled or left undone")]
        public static partial void DrainTimedOut(ILogger logger, double seconds, int left);

        [LoggerMessage(7104, LogLevel.Debug, "Background queue stopped; {Left} jobs left undone (none when the workers ran)")]
        public static partial void Drained(ILogger logger, int left);

        [LoggerMessage(7105, LogLevel.Warning, "Background queue closed (shutting down): job {Job} dropped")]
        public static partial void DroppedClosed(ILogger logger, string job);
    }
}
