using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// Loaded vector indexes are dropped when idle or over the memory budget, least recently used first, and come back
/// from the store (a real SQLite file) on their next use.
/// </summary>
public sealed class IndexBudgetTests : IDisposable
{
    private static readonly EmbeddingModelId Model = new("test-model", 4);
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");
    private static readonly MemoryPartition Bob = new("default", "elena", "bob");
    private static readonly MemoryPartition Cid = new("default", "elena", "cid");

    private readonly TempDirectory _dir = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteMemoryStore _store;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

    public IndexBudgetTests()
    {
        _database = new SqliteDatabase(new SqliteStoreOptions { Path = _dir.File("memory.db") });
        _database.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        _store = new SqliteMemoryStore(_database, _clock);
    }

    public void Dispose()
    {
        _database.Dispose();
        _dir.Dispose();
    }

    private async Task SeedAsync(MemoryPartition partition, int count)
    {
        var rows = Enumerable.Range(0, count)
            .Select(i => (new NewMemory(partition, "dm", PrivacyLevel.DirectMessage, partition.UserId, $"memory {i} of {partition.UserId}", _clock.GetUtcNow()),
                5, (StoredEmbedding?)new StoredEmbedding(Model.Model, new float[] { 1, i, 0, 0 })))
            .ToList();
        await _store.AddManyAsync(rows);
    }

    private VectorIndexRegistry Registry(MemoryOptions options) =>
        new(_store, new ExactVectorIndexFactory(), NullLogger<VectorIndexRegistry>.Instance, options: options, time: _clock);

    [Fact]
    public async Task OverTheBudget_TheLeastRecentlyUsedPartitionIsDroppedAndReloadsOnItsNextUse()
    {
        await SeedAsync(Ann, 5);
        await SeedAsync(Bob, 5);
        await SeedAsync(Cid, 5);
        using var registry = Registry(new MemoryOptions { MaxIndexedMemories = 10, IndexIdleTimeout = TimeSpan.Zero });

        await registry.GetAsync(Ann, Model);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await registry.GetAsync(Bob, Model);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await registry.GetAsync(Ann, Model);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await registry.GetAsync(Cid, Model);

        // Ann was used after Bob: Bob goes.
        Assert.True(registry.IsLoaded(Ann));
        Assert.False(registry.IsLoaded(Bob));
        Assert.True(registry.IsLoaded(Cid));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var bob = await registry.GetAsync(Bob, Model);

        Assert.Equal(5, bob.Count);
        Assert.Equal(5, bob.Search([1, 2, 0, 0], 10, new RecallScope(Bob, "dm", PrivacyLevel.DirectMessage)).Count);
        Assert.False(registry.IsLoaded(Ann));
        Assert.True(registry.IsLoaded(Cid));
    }

    [Fact]
    public async Task OnePartitionLargerThanTheBudget_StaysWhileInUse()
    {
        await SeedAsync(Ann, 12);
        using var registry = Registry(new MemoryOptions { MaxIndexedMemories = 10, IndexIdleTimeout = TimeSpan.Zero });

        var ann = await registry.GetAsync(Ann, Model);

        Assert.Equal(12, ann.Count);
        Assert.True(registry.IsLoaded(Ann));
    }

    [Fact]
    public async Task UnusedForTheIdleTimeout_IsDropped_AndAWriteMeanwhileIsFoundAfterTheReload()
    {
        await SeedAsync(Ann, 3);
        await SeedAsync(Bob, 3);
        using var registry = Registry(new MemoryOptions { IndexIdleTimeout = TimeSpan.FromMinutes(10), MaxIndexedMemories = 0 });
        await registry.GetAsync(Ann, Model);
        await registry.GetAsync(Bob, Model);

        _clock.Advance(TimeSpan.FromMinutes(6));
        await registry.GetAsync(Bob, Model);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var dropped = registry.DropIdle();

        Assert.Equal(1, dropped);
        Assert.False(registry.IsLoaded(Ann));
        Assert.True(registry.IsLoaded(Bob));

        // A memory stored while Ann's index is not loaded is not lost: the reload reads it from the store.
        await SeedAsync(Ann, 1);
        var ann = await registry.GetAsync(Ann, Model);
        Assert.Equal(4, ann.Count);
    }
}
