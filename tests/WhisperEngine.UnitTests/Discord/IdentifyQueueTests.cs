using WhisperEngine.Discord.Gateway;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Discord;

public sealed class IdentifyQueueTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WaitTurnAsync_SameBucket_SpacesIdentifiesByTheWindow()
    {
        var queue = new IdentifyQueue(new FakeTimeProvider(Now));

        var waits = new[]
        {
            await queue.WaitTurnAsync(0, maxConcurrency: 1),
            await queue.WaitTurnAsync(1, maxConcurrency: 1),
            await queue.WaitTurnAsync(2, maxConcurrency: 1),
        };

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], waits);
    }

    [Fact]
    public async Task WaitTurnAsync_MaxConcurrencyTwo_ShardsOfDifferentBucketsGoTogether()
    {
        var queue = new IdentifyQueue(new FakeTimeProvider(Now));

        var waits = new[]
        {
            await queue.WaitTurnAsync(0, maxConcurrency: 2),
            await queue.WaitTurnAsync(1, maxConcurrency: 2),
            await queue.WaitTurnAsync(2, maxConcurrency: 2),
            await queue.WaitTurnAsync(3, maxConcurrency: 2),
        };

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], waits);
    }
}
