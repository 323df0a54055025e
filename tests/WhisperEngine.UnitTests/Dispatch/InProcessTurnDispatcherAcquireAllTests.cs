using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;

namespace WhisperEngine.UnitTests.Dispatch;

/// <summary>Holding several conversations at once (erasing a person's data).</summary>
public sealed class InProcessTurnDispatcherAcquireAllTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(50);

    private static ConversationKey Key(string channel, string user = "alice") => new("default", "ada", user, channel);

    [Fact]
    public async Task AcquireAllAsync_TurnRunning_WaitsForItAndHoldsLaterTurnsBack()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 4, queueCapacity: 100);
        var running = await dispatcher.AcquireAsync(Key("dm"));

        var all = dispatcher.AcquireAllAsync([Key("dm"), Key("general")]).AsTask();
        await Task.Delay(Moment);
        Assert.False(all.IsCompleted);
        var later = dispatcher.AcquireAsync(Key("general")).AsTask();
        await running.DisposeAsync();
        var held = await all.WaitAsync(Patience);
        await Task.Delay(Moment);
        Assert.False(later.IsCompleted);

        await held.DisposeAsync();
        await using var laterLease = await later.WaitAsync(Patience);
        var otherPerson = await dispatcher.AcquireAsync(Key("dm", "bob")).AsTask().WaitAsync(Patience);
        await otherPerson.DisposeAsync();
    }

    [Fact]
    public async Task AcquireAllAsync_MoreConversationsThanTurnSlots_TakesNoSlotAndDoesNotStarve()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 1, queueCapacity: 1);
        var keys = Enumerable.Range(0, 10).Select(i => Key("channel-" + i)).ToList();

        var held = await dispatcher.AcquireAllAsync(keys).AsTask().WaitAsync(Patience);
        // The one turn slot and the queue of one are still free for another person's turn.
        var other = await dispatcher.AcquireAsync(Key("dm", "bob")).AsTask().WaitAsync(Patience);
        await other.DisposeAsync();
        await held.DisposeAsync();

        Assert.Equal(0, dispatcher.Pending);
        await using var again = await dispatcher.AcquireAsync(keys[3]).AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task AcquireAllAsync_Cancelled_LeavesTheChainsIntact()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 4, queueCapacity: 100);
        var running = await dispatcher.AcquireAsync(Key("dm"));
        using var cancel = new CancellationTokenSource();
        var all = dispatcher.AcquireAllAsync([Key("dm"), Key("general")], cancel.Token).AsTask();
        var queuedBehind = dispatcher.AcquireAsync(Key("dm")).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all);
        // The general channel was never busy; the cancelled holder gives it up at once.
        await using (await dispatcher.AcquireAsync(Key("general")).AsTask().WaitAsync(Patience))
        {
        }

        await Task.Delay(Moment);
        Assert.False(queuedBehind.IsCompleted);
        await running.DisposeAsync();
        await using var behind = await queuedBehind.WaitAsync(Patience);
    }

    [Fact]
    public async Task AcquireAllAsync_NoConversations_ReturnsAtOnce()
    {
        var dispatcher = new InProcessTurnDispatcher(maxConcurrentTurns: 1, queueCapacity: 1);

        await using var held = await dispatcher.AcquireAllAsync([]);

        Assert.Equal(0, dispatcher.Pending);
    }
}
