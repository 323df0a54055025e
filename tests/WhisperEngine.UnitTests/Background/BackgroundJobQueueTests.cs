using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Background;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Background;

public sealed class BackgroundJobQueueTests : IDisposable
{
    private readonly RecordingLogger<BackgroundJobQueue> _logger = new();
    private readonly List<BackgroundJobQueue> _queues = [];

    [Fact]
    public async Task RunAsync_QueuedJobs_AllRun()
    {
        var queue = Queue(100);
        var done = 0;
        for (var i = 0; i < 50; i++)
        {
            Assert.True(queue.TryEnqueue(new BackgroundJob("test", _ =>
            {
                Interlocked.Increment(ref done);
                return ValueTask.CompletedTask;
            })));
        }

        _ = queue.RunAsync(workers: 3);
        await queue.WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(50, done);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void TryEnqueue_QueueFull_RefusesAtOnceAndLogsAWarning()
    {
        var queue = Queue(2);
        using var release = new SemaphoreSlim(0);

        Assert.True(queue.TryEnqueue(Blocking(release)));
        Assert.True(queue.TryEnqueue(Blocking(release)));
        var refused = queue.TryEnqueue(new BackgroundJob("memory.write", _ => ValueTask.CompletedTask));

        Assert.False(refused);
        Assert.Equal(1, queue.Dropped);
        var warning = Assert.Single(_logger.Entries, e => e.EventId == 7101);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("memory.write", warning.Text, StringComparison.Ordinal);
        Assert.Equal(2, queue.Pending);
    }

    [Fact]
    public async Task RunAsync_JobThrows_LoggedAndTheNextJobsStillRun()
    {
        var queue = Queue(10);
        var ran = false;
        queue.TryEnqueue(new BackgroundJob("broken", _ => throw new InvalidOperationException("boom")));
        queue.TryEnqueue(new BackgroundJob("fine", _ =>
        {
            ran = true;
            return ValueTask.CompletedTask;
        }));

        _ = queue.RunAsync(workers: 1);
        await queue.WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(ran);
        Assert.Equal(1, queue.Failed);
        Assert.Contains(_logger.Entries, e => e.EventId == 7102 && e.Text.Contains("broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DrainAsync_JobsQueued_RunsThemAllBeforeReturningAndRefusesNewOnes()
    {
        var queue = Queue(100);
        var done = 0;
        for (var i = 0; i < 20; i++)
        {
            queue.TryEnqueue(new BackgroundJob("slow", async ct =>
            {
                await Task.Delay(5, ct);
                Interlocked.Increment(ref done);
            }));
        }

        _ = queue.RunAsync(workers: 2);
        var drained = await queue.DrainAsync(TimeSpan.FromSeconds(30));

        Assert.True(drained);
        Assert.Equal(20, done);
        Assert.False(queue.TryEnqueue(new BackgroundJob("late", _ => ValueTask.CompletedTask)));
        Assert.Contains(_logger.Entries, e => e.EventId == 7105);
    }

    [Fact]
    public async Task DrainAsync_JobOutlivesTheTimeout_IsCancelledAndTheDrainReportsIt()
    {
        var queue = Queue(10);
        var cancelled = new TaskCompletionSource();
        queue.TryEnqueue(new BackgroundJob("stuck", async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }
        }));
        queue.TryEnqueue(new BackgroundJob("never", _ => throw new InvalidOperationException("must not run")));

        _ = queue.RunAsync(workers: 1);
        await Task.Delay(20);
        var drained = await queue.DrainAsync(TimeSpan.FromMilliseconds(100));

        Assert.False(drained);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(_logger.Entries, e => e.EventId == 7103 && e.Level == LogLevel.Warning);
        Assert.Equal(0, queue.Failed);
    }

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }
    }

    private BackgroundJobQueue Queue(int capacity)
    {
        var queue = new BackgroundJobQueue(capacity, _logger);
        _queues.Add(queue);
        return queue;
    }

    private static BackgroundJob Blocking(SemaphoreSlim release) => new("blocking", async ct => await release.WaitAsync(ct));
}
