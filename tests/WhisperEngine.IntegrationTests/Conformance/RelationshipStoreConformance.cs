using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Conformance.Backends;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Relationships;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>
/// What every <see cref="IRelationshipStore"/> must do: count exchanges under <see cref="RelationshipRules"/> (the daily
/// cap, distinct days), keep each (tenant, bot, user) apart, survive a restart and go when the person's memory
/// partition is deleted.
/// </summary>
public abstract class RelationshipStoreConformance : IAsyncLifetime
{
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");
    private static readonly DateTimeOffset Day1 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private MemoryBackend _backend = null!;

    /// <summary>A new, empty backend.</summary>
    protected abstract MemoryBackend CreateBackend();

    public Task InitializeAsync()
    {
        _backend = CreateBackend();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private IRelationshipStore Store => _backend.Relationships;

    [Fact]
    public async Task Get_BeforeTheFirstExchange_Null()
    {
        Assert.Null(await Store.GetAsync(Ann));
    }

    [Fact]
    public async Task RecordExchange_BeyondTheDailyCap_CountsTowardsTheTotalOnly()
    {
        RelationshipStats last = null!;
        for (var i = 0; i < RelationshipRules.DailyCap + 5; i++)
        {
            last = await Store.RecordExchangeAsync(Ann, Day1.AddMinutes(i));
        }

        Assert.Equal((RelationshipRules.DailyCap, RelationshipRules.DailyCap + 5L, 1), (last.Exchanges, last.TotalExchanges, last.Days));
        Assert.Equal((Day1, Day1.AddMinutes(RelationshipRules.DailyCap + 4)), (last.FirstAt, last.LastAt));
        Assert.Equal(last, await Store.GetAsync(Ann));
    }

    [Fact]
    public async Task RecordExchange_NewUtcDay_AddsADayAndResetsTheCap()
    {
        for (var i = 0; i < RelationshipRules.DailyCap + 2; i++)
        {
            await Store.RecordExchangeAsync(Ann, Day1.AddMinutes(i));
        }

        // 23:59 UTC and 00:01 UTC the next day are two days.
        await Store.RecordExchangeAsync(Ann, new DateTimeOffset(2025, 3, 1, 23, 59, 0, TimeSpan.Zero));
        var next = await Store.RecordExchangeAsync(Ann, new DateTimeOffset(2025, 3, 2, 0, 1, 0, TimeSpan.Zero));
        var third = await Store.RecordExchangeAsync(Ann, Day1.AddDays(5));

        Assert.Equal((RelationshipRules.DailyCap + 1L, RelationshipRules.DailyCap + 4L, 2), (next.Exchanges, next.TotalExchanges, next.Days));
        Assert.Equal((RelationshipRules.DailyCap + 2L, 3), (third.Exchanges, third.Days));
        Assert.Equal((Day1, Day1.AddDays(5)), (third.FirstAt, third.LastAt));
    }

    [Fact]
    public async Task RecordExchange_EarlierTimeThanTheLatest_KeepsFirstAndLast()
    {
        await Store.RecordExchangeAsync(Ann, Day1.AddHours(5));
        var stats = await Store.RecordExchangeAsync(Ann, Day1);

        Assert.Equal((Day1, Day1.AddHours(5), 2L, 1), (stats.FirstAt, stats.LastAt, stats.TotalExchanges, stats.Days));
    }

    [Fact]
    public async Task RecordExchange_OtherUserBotOrTenant_CountedApart()
    {
        MemoryPartition[] partitions = [Ann, Ann with { UserId = "bob" }, Ann with { BotId = "marcus" }, Ann with { TenantId = "acme" }];
        for (var i = 0; i < partitions.Length; i++)
        {
            for (var n = 0; n <= i; n++)
            {
                await Store.RecordExchangeAsync(partitions[i], Day1.AddMinutes(n));
            }
        }

        for (var i = 0; i < partitions.Length; i++)
        {
            Assert.Equal(i + 1L, (await Store.GetAsync(partitions[i]))!.TotalExchanges);
        }

        Assert.Null(await Store.GetAsync(Ann with { UserId = "nobody" }));
    }

    [Fact]
    public async Task RecordExchange_Concurrent_NoneLost()
    {
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () => await Store.RecordExchangeAsync(Ann, Day1.AddSeconds(i)))));

        var stats = (await Store.GetAsync(Ann))!;
        Assert.Equal((RelationshipRules.DailyCap, 24L, 1), (stats.Exchanges, stats.TotalExchanges, stats.Days));
    }

    [Fact]
    public async Task Reopened_CountersPersist()
    {
        await Store.RecordExchangeAsync(Ann, Day1);
        await Store.RecordExchangeAsync(Ann, Day1.AddDays(1));

        await using var reopened = _backend.Reopen();

        Assert.Equal((2L, 2L, 2), await reopened.Relationships.GetAsync(Ann) is { } s ? (s.Exchanges, s.TotalExchanges, s.Days) : default);
    }

    [Fact]
    public async Task Forget_PartitionWithMemories_RelationshipGoesWithIt()
    {
        var bob = Ann with { UserId = "bob" };
        await _backend.Memories.AddAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, "Ann", "I like kites.", Day1), 4, null);
        await Store.RecordExchangeAsync(Ann, Day1);
        await Store.RecordExchangeAsync(bob, Day1);

        Assert.Equal(1, await _backend.Memories.DeletePartitionAsync(Ann));

        Assert.Null(await Store.GetAsync(Ann));
        Assert.NotNull(await Store.GetAsync(bob));
        // Talking again starts from nothing.
        Assert.Equal(1, (await Store.RecordExchangeAsync(Ann, Day1.AddDays(1))).TotalExchanges);
    }

    [Fact]
    public async Task Forget_PartitionWithOnlyARelationship_RelationshipGone()
    {
        await Store.RecordExchangeAsync(Ann, Day1);

        Assert.Equal(0, await _backend.Memories.DeletePartitionAsync(Ann));

        Assert.Null(await Store.GetAsync(Ann));
    }
}
