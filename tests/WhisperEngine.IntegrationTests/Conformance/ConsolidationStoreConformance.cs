using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Conformance.Backends;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>
/// What every <see cref="IConsolidationStore"/> must do beside its memory store: find old sessions, link a summary's
/// sources once (and lower their importance) or not at all, report and adopt pending consolidations, and go with the
/// partition. The consolidator's use of it (model calls, summaries in recall) is in <c>ConsolidationTests</c>.
/// </summary>
public abstract class ConsolidationStoreConformance : IAsyncLifetime
{
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");
    private static readonly MemoryPartition Bob = new("default", "elena", "bob");
    private static readonly DateTimeOffset TenDaysAgo = new(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(-10).AddHours(9), TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = DateTimeOffset.UtcNow.AddDays(-2);

    private MemoryBackend _backend = null!;

    /// <summary>A new, empty backend.</summary>
    protected abstract MemoryBackend CreateBackend();

    public Task InitializeAsync()
    {
        _backend = CreateBackend();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private IConsolidationStore Store => _backend.Consolidations;

    private async Task<List<MemoryRecord>> SessionAsync(MemoryPartition partition, DateTimeOffset start, int count, string channel = "dm",
        PrivacyLevel privacy = PrivacyLevel.DirectMessage)
    {
        var records = new List<MemoryRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(await _backend.Memories.AddAsync(
                new NewMemory(partition, channel, privacy, partition.UserId, $"Session line {i} in {channel}.", start.AddMinutes(i)) { Importance = 0.8f }, 6, null));
        }

        return records;
    }

    private static ConsolidationStart Start(IEnumerable<MemoryRecord> sources, string summary = "They talked about the trip.", float factor = 0.5f)
    {
        var list = sources.ToList();
        return new ConsolidationStart(list[0].ChannelId, list[0].Privacy, DateOnly.FromDateTime(list[0].OccurredAt.UtcDateTime), [.. list.Select(r => r.Id)],
            summary, list[0].OccurredAt, factor);
    }

    [Fact]
    public async Task Begin_LinksTheSourcesOnceAndLowersTheirImportance()
    {
        var session = await SessionAsync(Ann, TenDaysAgo, 4);

        var id = await Store.BeginAsync(Ann, Start(session));

        Assert.NotNull(id);
        Assert.Empty(await Store.GetUnconsolidatedAsync(Ann, Cutoff, 100));
        var sources = await _backend.Memories.GetAsync(Ann, [.. session.Select(r => r.Id)]);
        Assert.All(sources, r => Assert.Equal(0.4, r.Importance, 4));
        Assert.Null(await Store.BeginAsync(Ann, Start(session.Take(2))));
        Assert.All(await _backend.Memories.GetAsync(Ann, [.. session.Select(r => r.Id)]), r => Assert.Equal(0.4, r.Importance, 4));
    }

    [Fact]
    public async Task Pending_SummaryWrittenThenCompleted_AdoptedThenGone()
    {
        var session = await SessionAsync(Ann, TenDaysAgo, 3);
        var id = (await Store.BeginAsync(Ann, Start(session, "Ann planned a trip to Kyoto.")))!.Value;

        var pending = Assert.Single(await Store.GetPendingAsync(Ann));
        Assert.Equal((id, "dm", PrivacyLevel.DirectMessage, "Ann planned a trip to Kyoto.", session[0].OccurredAt, (long?)null),
            (pending.Id, pending.ChannelId, pending.Privacy, pending.Summary, pending.OccurredAt, pending.ExistingMemoryId));
        Assert.Equal([Ann], await Store.GetPartitionsToConsolidateAsync(Cutoff, 100, 10));

        var summary = await _backend.Memories.AddAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, "elena", "Ann planned a trip to Kyoto.",
            session[0].OccurredAt), 8, null);
        Assert.Equal(summary.Id, Assert.Single(await Store.GetPendingAsync(Ann)).ExistingMemoryId);

        await Store.CompleteAsync(Ann, id, summary.Id);

        Assert.Empty(await Store.GetPendingAsync(Ann));
        // A summary is never consolidated again.
        Assert.Empty(await Store.GetUnconsolidatedAsync(Ann, Cutoff, 100));
        Assert.Null(await Store.BeginAsync(Ann, Start([summary])));
    }

    [Fact]
    public async Task GetUnconsolidated_OldMemoriesByChannelAndTime_RecentOnesLeft()
    {
        var general = await SessionAsync(Ann, TenDaysAgo, 2, "general", PrivacyLevel.PublicChannel);
        var dm = await SessionAsync(Ann, TenDaysAgo.AddHours(1), 2);
        await SessionAsync(Ann, DateTimeOffset.UtcNow.AddHours(-1), 3);

        var old = await Store.GetUnconsolidatedAsync(Ann, Cutoff, 100);

        Assert.Equal([.. dm.Select(r => r.Id), .. general.Select(r => r.Id)], old.Select(r => r.Id));
        Assert.Equal(("Session line 0 in dm.", PrivacyLevel.DirectMessage, 0.8f), (old[0].Text, old[0].Privacy, old[0].Importance));
        Assert.Equal(3, (await Store.GetUnconsolidatedAsync(Ann, Cutoff, 3)).Count);
        Assert.Empty(await Store.GetUnconsolidatedAsync(Bob, Cutoff, 100));
    }

    [Fact]
    public async Task GetPartitionsToConsolidate_OnlySessionsOfTheMinimumSize()
    {
        await SessionAsync(Ann, TenDaysAgo, 4);
        await SessionAsync(Bob, TenDaysAgo, 2);
        await SessionAsync(Bob, TenDaysAgo.AddDays(1), 2);
        await SessionAsync(new MemoryPartition("default", "elena", "cy"), DateTimeOffset.UtcNow.AddHours(-1), 6);

        Assert.Equal([Ann], await Store.GetPartitionsToConsolidateAsync(Cutoff, 3, 10));
        Assert.Equal(2, (await Store.GetPartitionsToConsolidateAsync(Cutoff, 2, 10)).Count);
        Assert.Single(await Store.GetPartitionsToConsolidateAsync(Cutoff, 2, 1));
    }

    [Fact]
    public async Task Begin_SourcesOfAnotherPartitionOrUnknown_RefusedAndNothingChanged()
    {
        var bobs = await SessionAsync(Bob, TenDaysAgo, 3);
        await SessionAsync(Ann, TenDaysAgo, 3);

        Assert.Null(await Store.BeginAsync(Ann, Start(bobs)));
        Assert.Null(await Store.BeginAsync(new MemoryPartition("default", "elena", "nobody"), Start(bobs)));

        Assert.Equal(3, (await Store.GetUnconsolidatedAsync(Bob, Cutoff, 100)).Count);
        Assert.All(await _backend.Memories.GetAsync(Bob, [.. bobs.Select(r => r.Id)]), r => Assert.Equal(0.8f, r.Importance));
        Assert.Empty(await Store.GetPendingAsync(Ann));
    }

    [Fact]
    public async Task Begin_ConcurrentlyForTheSameSources_OnlyOneLinksThem()
    {
        var session = await SessionAsync(Ann, TenDaysAgo, 5);

        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await Store.BeginAsync(Ann, Start(session)))));

        Assert.Single(ids, id => id is not null);
        Assert.Single(await Store.GetPendingAsync(Ann));
        Assert.All(await _backend.Memories.GetAsync(Ann, [.. session.Select(r => r.Id)]), r => Assert.Equal(0.4, r.Importance, 4));
    }

    [Fact]
    public async Task Forget_Partition_TakesItsConsolidationsWithIt()
    {
        var session = await SessionAsync(Ann, TenDaysAgo, 3);
        var bobs = await SessionAsync(Bob, TenDaysAgo, 3);
        var annId = (await Store.BeginAsync(Ann, Start(session)))!.Value;
        var summary = await _backend.Memories.AddAsync(new NewMemory(Ann, "dm", PrivacyLevel.DirectMessage, "elena", "They talked about the trip.",
            session[0].OccurredAt), 8, null);
        await Store.CompleteAsync(Ann, annId, summary.Id);
        await Store.BeginAsync(Bob, Start(bobs));

        Assert.Equal(4, await _backend.Memories.DeletePartitionAsync(Ann));

        Assert.Empty(await Store.GetPendingAsync(Ann));
        Assert.Equal([Bob], await Store.GetPartitionsToConsolidateAsync(Cutoff, 3, 10));
        // The same person later: new memories are theirs to consolidate afresh.
        var again = await SessionAsync(Ann, TenDaysAgo, 3);
        Assert.Equal(again.Select(r => r.Id), (await Store.GetUnconsolidatedAsync(Ann, Cutoff, 100)).Select(r => r.Id));
        Assert.NotNull(await Store.BeginAsync(Ann, Start(again)));
    }
}
