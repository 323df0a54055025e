using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// Topic clustering of memories with the real MiniLM model, through <see cref="MemoryClusterer"/> on a backend's
/// <see cref="Storage.IMemoryClusterStore"/>; each backend subclasses this.
/// </summary>
public abstract class ClusteringConformance(MiniLmFixture miniLm) : IAsyncLifetime
{
    private static readonly MemoryPartition Ann = MemoryHarness.Partition("ann");

    private static readonly string[] Pottery =
    [
        "I threw a clay bowl on the pottery wheel today.", "My pottery class is glazing mugs this week.", "The kiln cracked my clay vase again.",
        "I want to learn raku pottery firing.", "Trimming clay pots takes me ages.", "My glaze dripped onto the kiln shelf.",
        "I bought a new pottery wheel for the garage.", "Centering clay on the wheel is finally easy.", "Our pottery studio sells mugs at the fair.",
        "I painted blue glaze on a clay plate.", "The clay was too wet to throw a vase.", "My teacher fired my pottery bowls in the kiln.",
    ];

    private static readonly string[] Hiking =
    [
        "We hiked the ridge trail at sunrise.", "My hiking boots gave me blisters on the mountain.", "The mountain trail was muddy after rain.",
        "I packed a map and water for the long hike.", "We camped by the lake after hiking all day.", "The summit view from the trail was stunning.",
        "I bought trekking poles for steep mountain trails.", "Hiking with my dog on forest trails is the best.", "We got lost on the hiking trail at dusk.",
        "The trail climbed two thousand feet to the peak.", "I saw a deer while hiking the canyon trail.", "Next month I hike the coastal trail.",
    ];

    /// <summary>The write and read path on a new store of the backend (the same one for every call in a test).</summary>
    protected abstract MemoryHarness Open(IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options);

    /// <summary>Cluster rows left in the whole store, counted in the database itself.</summary>
    protected abstract Task<long> ClusterRowsAsync(MemoryHarness memory);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => CleanUpAsync();

    private MemoryClusterer Clusterer(MemoryHarness memory, ClusteringOptions? options = null) =>
        new(memory.Store, memory.Clusters, miniLm.Embedder, options ?? new ClusteringOptions { Enabled = true }, TimeProvider.System, NullLogger<MemoryClusterer>.Instance);

    private async Task<MemoryHarness> OpenWithTopicsAsync(MemoryOptions? options = null)
    {
        var memory = Open(miniLm.Embedder, options);
        await memory.SeedOtherPeopleAsync();
        for (var i = 0; i < Pottery.Length; i++)
        {
            await memory.WriteAsync(Ann, Pottery[i]);
            await memory.WriteAsync(Ann, Hiking[i]);
        }

        return memory;
    }

    [Fact]
    public async Task Rebuild_TwoTopics_EachTopicMostlyInItsOwnClustersAndLabelled()
    {
        using var memory = await OpenWithTopicsAsync();

        var outcome = await Clusterer(memory, new ClusteringOptions { MaxClusters = 2 }).RebuildAsync(Ann);

        Assert.Equal(new ClusteringOutcome(true, 2, 24), outcome);
        var records = await memory.Store.GetAsync(Ann, Enumerable.Range(1, 100).Select(i => (long)i).ToList());
        var pottery = records.Where(r => Pottery.Contains(r.Text)).Select(r => r.ClusterId).ToList();
        var hiking = records.Where(r => Hiking.Contains(r.Text)).Select(r => r.ClusterId).ToList();
        Assert.All(pottery.Concat(hiking), c => Assert.NotNull(c));
        var potteryCluster = pottery.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        var hikingCluster = hiking.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        Assert.NotEqual(potteryCluster, hikingCluster);
        Assert.True(pottery.Count(c => c == potteryCluster) >= 10);
        Assert.True(hiking.Count(c => c == hikingCluster) >= 10);

        var clusters = await memory.Clusters.GetClustersAsync(Ann);
        Assert.Equal(24, clusters.Sum(c => c.Size));
        Assert.Contains("clay", clusters.Single(c => c.Id == potteryCluster).Label, StringComparison.Ordinal);
        Assert.Contains("trail", clusters.Single(c => c.Id == hikingCluster).Label, StringComparison.Ordinal);
        Assert.All(clusters, c => Assert.Equal(memory.Writer.Model, c.Model));
    }

    [Fact]
    public async Task Update_FewNewMemories_AssignedToTheNearestClusterWithoutRebuilding()
    {
        using var memory = await OpenWithTopicsAsync();
        var clusterer = Clusterer(memory, new ClusteringOptions { MaxClusters = 2, MinNewMemories = 1 });
        await clusterer.RebuildAsync(Ann);
        var before = await memory.Clusters.GetClustersAsync(Ann);
        var potteryCluster = (await memory.Store.GetAsync(Ann, [(await memory.Store.KeywordSearchAsync(Dm, "kiln", 1))[0].Id]))[0].ClusterId;

        var added = await memory.WriteAsync(Ann, "I glazed three clay cups and fired them in the kiln.");
        Assert.Null(Assert.Single(await memory.Store.GetAsync(Ann, [added.Id])).ClusterId);
        Assert.Equal(1, (await memory.Clusters.GetClusteringCandidatesAsync(memory.Writer.Model, 1, 10)).Single(c => c.Partition == Ann).Unclustered);

        var outcome = await clusterer.UpdateAsync(Ann);

        Assert.Equal(new ClusteringOutcome(false, 2, 1), outcome);
        Assert.Equal(potteryCluster, Assert.Single(await memory.Store.GetAsync(Ann, [added.Id])).ClusterId);
        var after = await memory.Clusters.GetClustersAsync(Ann);
        Assert.Equal(before.Sum(c => c.Size) + 1, after.Sum(c => c.Size));
        Assert.Equal(before.Select(c => c.MembersAtBuild), after.Select(c => c.MembersAtBuild));
        Assert.DoesNotContain(await memory.Clusters.GetClusteringCandidatesAsync(memory.Writer.Model, 1, 10), c => c.Partition == Ann);
    }

    [Fact]
    public async Task Update_ManyNewMemories_RebuildsFromScratch()
    {
        using var memory = await OpenWithTopicsAsync();
        var clusterer = Clusterer(memory, new ClusteringOptions { MaxClusters = 2, RebuildShare = 0.25 });
        await clusterer.RebuildAsync(Ann);
        for (var i = 0; i < 6; i++)
        {
            await memory.WriteAsync(Ann, $"Sourdough bread baking note {i}: the starter and the oven.");
        }

        var outcome = await clusterer.UpdateAsync(Ann);

        Assert.True(outcome.Rebuilt);
        Assert.Equal(30, outcome.Memories);
        Assert.All(await memory.Clusters.GetClustersAsync(Ann), c => Assert.Equal(c.Size, c.MembersAtBuild));
    }

    [Fact]
    public async Task Sweep_ClustersOnlyPartitionsWithEnoughNewMemories()
    {
        using var memory = await OpenWithTopicsAsync();
        var bob = MemoryHarness.Partition("bob");
        await memory.WriteAsync(bob, "I only said one thing.");
        var clusterer = Clusterer(memory, new ClusteringOptions { MinNewMemories = 5, MinMemories = 20 });

        Assert.Equal(1, await clusterer.SweepAsync());

        Assert.NotEmpty(await clusterer.ListAsync(Ann));
        Assert.Empty(await clusterer.ListAsync(bob));
        Assert.Equal(0, await clusterer.SweepAsync());
    }

    [Fact]
    public async Task Forget_Partition_ClustersGoToo()
    {
        using var memory = await OpenWithTopicsAsync();
        await Clusterer(memory).RebuildAsync(Ann);

        await memory.Writer.ForgetAsync(Ann);

        Assert.Empty(await memory.Clusters.GetClustersAsync(Ann));
        Assert.Equal(0L, await ClusterRowsAsync(memory));
    }

    [Fact]
    public async Task Retrieve_OneHitPerCluster_TopicsAlternate()
    {
        var options = new MemoryOptions();
        using var memory = await OpenWithTopicsAsync(options);
        await Clusterer(memory, new ClusteringOptions { MaxClusters = 2 }).RebuildAsync(Ann);
        var unspread = await memory.Retriever.RetrieveAsync(new MemoryQuery(Dm, "clay pottery and the mountain") { MaxResults = 4 });

        options.MaxPerCluster = 1;
        var spread = await memory.Retriever.RetrieveAsync(new MemoryQuery(Dm, "clay pottery and the mountain") { MaxResults = 4 });

        Assert.Equal(2, spread.Hits.Take(2).Select(h => h.Record.ClusterId).Distinct().Count());
        Assert.Equal(unspread.Hits[0].Record.Id, spread.Hits[0].Record.Id);
    }

    private static RecallScope Dm => new(Ann, "dm", PrivacyLevel.DirectMessage);
}
