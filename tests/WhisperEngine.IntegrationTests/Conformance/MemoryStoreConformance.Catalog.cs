using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>The store-wide views (<see cref="IMemoryCatalog"/>) that every memory backend offers beside its store.</summary>
public abstract partial class MemoryStoreConformance
{
    [Fact]
    public async Task Catalog_PartitionsMemoriesAndModels_ListedAcrossTheStore()
    {
        var memory = await OpenAsync(seed: false);
        var catalog = Assert.IsAssignableFrom<IMemoryCatalog>(memory.Store);
        var ann = MemoryHarness.Partition("ann");
        var annMarcus = MemoryHarness.Partition("ann", bot: "marcus");
        var bob = MemoryHarness.Partition("Bob");
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        await memory.Store.AddAsync(new NewMemory(ann, "dm", PrivacyLevel.DirectMessage, "ann", "older", at), 2, new StoredEmbedding("m1", new float[2]));
        await memory.Store.AddAsync(new NewMemory(ann, "dm", PrivacyLevel.DirectMessage, "ann", "newest", at.AddDays(2)), 2, null);
        await memory.Store.AddAsync(new NewMemory(ann, "dm", PrivacyLevel.DirectMessage, "ann", "middle", at.AddDays(1)), 2, new StoredEmbedding("m1", new float[2]));
        await memory.Store.AddAsync(Memory(annMarcus, "other bot"), 2, new StoredEmbedding("m2", new float[3]));
        await memory.Store.AddAsync(Memory(bob, "bob's"), 2, new StoredEmbedding("m1", new float[2]));

        // Sorted by tenant, bot, user in byte order ("Bob" before "ann"), on every backend.
        Assert.Equal([bob, ann, annMarcus], await catalog.ListPartitionsAsync());
        Assert.Equal([ann, annMarcus], await catalog.ListPartitionsAsync(userId: "ann"));
        Assert.Equal([annMarcus], await catalog.ListPartitionsAsync("default", "marcus", "ann"));
        Assert.Empty(await catalog.ListPartitionsAsync(tenantId: "acme"));
        Assert.Equal(["newest", "middle", "older"], (await catalog.ListAsync(ann, 10)).Select(r => r.Text));
        Assert.Equal(["newest"], (await catalog.ListAsync(ann, 1)).Select(r => r.Text));
        Assert.Equal(
            [new EmbeddingInventory(new EmbeddingModelId("m1", 2), 3), new EmbeddingInventory(new EmbeddingModelId("m2", 3), 1), new EmbeddingInventory(null, 1)],
            (await catalog.GetEmbeddingInventoryAsync()).OrderByDescending(i => i.Count).ThenBy(i => i.Model?.Model ?? "~"));

        await memory.Store.DeletePartitionAsync(ann);
        await catalog.PurgeDeletedAsync();

        Assert.Equal([annMarcus], await catalog.ListPartitionsAsync(userId: "ann"));
        Assert.Empty(await catalog.ListAsync(ann, 10));
        Assert.Equal(["bob's"], (await catalog.ListAsync(bob, 10)).Select(r => r.Text));
    }
}
