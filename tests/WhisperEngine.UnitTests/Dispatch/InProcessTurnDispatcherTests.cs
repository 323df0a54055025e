using System.Collections.Concurrent;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.UnitTests.Dispatch;

public sealed class InProcessTurnDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(50);

    private static readonly ConversationKey Alice = new("default", "ada", "alice", "terminal");
    private static readonly ConversationKey Bob = new("default", "ada", "bob", "terminal");

    [Fact]
    public async Task AcquireAsync_ManyTurnsOfOneConversation_RunOneAtATimeInArrivalOrder()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 100);
        var entered = new ConcurrentQueue<int>();
        var running = 0;
        var maxRunning = 0;

        var holder = await dispatcher.AcquireAsync(Alice);
        var turns = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            // AcquireAsync joins the queue before its first await, so call order is arrival order.
            turns.Add(RunTurnAsync(i));
        }

        await Task.Delay(Moment);
        Assert.Empty(entered);
        await holder.DisposeAsync();
        await Task.WhenAll(turns).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 20), entered);
        Assert.Equal(1, maxRunning);
        Assert.Equal(0, dispatcher.Pending);

        async Task RunTurnAsync(int number)
        {
            await using var lease = await dispatcher.AcquireAsync(Alice);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            entered.Enqueue(number);
            await Task.Delay(2);
            Interlocked.Decrement(ref running);
        }
    }

    [Fact]
    public async Task AcquireAsync_SameConversationWhileHeld_WaitsUntilReleased()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 100);
        var first = await dispatcher.AcquireAsync(Alice);

        var second = dispatcher.AcquireAsync(Alice).AsTask();
        await Task.Delay(Moment);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var lease = await second.WaitAsync(Patience);
    }

    [Fact]
    public async Task AcquireAsync_DifferentConversations_RunInParallel()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 100);

        await using var alice = await dispatcher.AcquireAsync(Alice).AsTask().WaitAsync(Patience);
        await using var bob = await dispatcher.AcquireAsync(Bob).AsTask().WaitAsync(Patience);

        Assert.Equal(2, dispatcher.Pending);
    }

    [Fact]
    public async Task AcquireAsync_ConcurrencyLimitReached_OtherConversationWaitsForASlot()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 1, queueCapacity: 100);
        var alice = await dispatcher.AcquireAsync(Alice);

        var bob = dispatcher.AcquireAsync(Bob).AsTask();
        await Task.Delay(Moment);
        Assert.False(bob.IsCompleted);

        await alice.DisposeAsync();
        await using var lease = await bob.WaitAsync(Patience);
    }

    [Fact]
    public async Task AcquireAsync_QueueCapacityExceeded_ThrowsBusy()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 2);
        var running = await dispatcher.AcquireAsync(Alice);
        var waiting = dispatcher.AcquireAsync(Alice).AsTask();

        var ex = await Assert.ThrowsAsync<TurnException>(async () => await dispatcher.AcquireAsync(Bob));

        Assert.Equal(TurnErrorKind.Busy, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal(2, dispatcher.Pending);

        await running.DisposeAsync();
        await (await waiting.WaitAsync(Patience)).DisposeAsync();
        Assert.Equal(0, dispatcher.Pending);
    }

    [Fact]
    public async Task AcquireAsync_AfterBusyAndRelease_AcceptsAgain()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 1);
        var running = await dispatcher.AcquireAsync(Alice);
        await Assert.ThrowsAsync<TurnException>(async () => await dispatcher.AcquireAsync(Bob));

        await running.DisposeAsync();

        await using var lease = await dispatcher.AcquireAsync(Bob).AsTask().WaitAsync(Patience);
        Assert.Equal(1, dispatcher.Pending);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWaiter_NextWaiterStillGetsInAfterTheHolderReleases()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 8, queueCapacity: 100);
        var holder = await dispatcher.AcquireAsync(Alice);
        using var cts = new CancellationTokenSource();
        var cancelled = dispatcher.AcquireAsync(Alice, cts.Token).AsTask();
        var next = dispatcher.AcquireAsync(Alice).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));

        // The chain still runs through the holder: the next waiter must not jump ahead of it.
        await Task.Delay(Moment);
        Assert.False(next.IsCompleted);

        await holder.DisposeAsync();
        await using (await next.WaitAsync(Patience))
        {
            Assert.Equal(1, dispatcher.Pending);
        }

        Assert.Equal(0, dispatcher.Pending);
        await using var later = await dispatcher.AcquireAsync(Alice).AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task DisposeAsync_Twice_ReleasesOnlyOnce()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 1, queueCapacity: 100);
        var first = await dispatcher.AcquireAsync(Alice);
        var second = dispatcher.AcquireAsync(Bob).AsTask();
        var third = dispatcher.AcquireAsync(Alice).AsTask();

        await first.DisposeAsync();
        await first.DisposeAsync();
        var bob = await second.WaitAsync(Patience);

        // With one slot, the second release of the first lease must not let a third turn run beside Bob.
        await Task.Delay(Moment);
        Assert.False(third.IsCompleted);
        await bob.DisposeAsync();
        await (await third.WaitAsync(Patience)).DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
