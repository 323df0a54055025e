using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Hnsw;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.UnitTests.Memory;

/// <summary>The HNSW index (real USearch graph) against the exact scan: results, privacy, writes during and after a build.</summary>
public sealed class HnswVectorIndexTests
{
    private const int Dimensions = 64;
    private static readonly MemoryPartition Partition = new("t", "bot", "ann");
    private static readonly RecallScope Dm = new(Partition, "dm", PrivacyLevel.DirectMessage);
    private static readonly RecallScope Public = new(Partition, "general", PrivacyLevel.PublicChannel);
    private static readonly RecallScope TeamA = new(Partition, "team-a", PrivacyLevel.PrivateChannel);

    private static HnswVectorIndex Create(int minimum) =>
        new(Dimensions, 16, new HnswOptions { MinimumPartitionSize = minimum }, NullLogger<HnswVectorIndex>.Instance, "t/bot/ann");

    /// <summary>Vectors around a few hundred centres, as sentence embeddings cluster by topic.</summary>
    private static List<MemoryVectorEntry> Clustered(int count, int seed, Func<int, (string Channel, PrivacyLevel Privacy)>? place = null)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 200).Select(_ => RandomVector(random)).ToArray();
        var entries = new List<MemoryVectorEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var centre = centres[random.Next(centres.Length)];
            var vector = centre.Select(c => c + (float)((random.NextDouble() * 2) - 1) * 0.6f).ToArray();
            var (channel, privacy) = place?.Invoke(i) ?? ("dm", PrivacyLevel.DirectMessage);
            entries.Add(new MemoryVectorEntry(i + 1, channel, privacy, vector));
        }

        return entries;
    }

    private static float[] RandomVector(Random random) => Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static float[] Near(float[] vector, Random random) => vector.Select(v => v + (float)((random.NextDouble() * 2) - 1) * 0.05f).ToArray();

    private static ExactVectorIndex Exact(IEnumerable<MemoryVectorEntry> entries)
    {
        var exact = new ExactVectorIndex(Dimensions);
        foreach (var entry in entries)
        {
            exact.Upsert(entry);
        }

        return exact;
    }

    [Fact]
    public async Task Search_LargePartition_GraphFindsTheExactTopTen()
    {
        var entries = Clustered(3000, 1);
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var exact = Exact(entries);
        var random = new Random(2);

        Assert.True(index.HasGraph);
        double overlap = 0;
        for (var q = 0; q < 50; q++)
        {
            var source = entries[random.Next(entries.Count)];
            var query = Near(source.Vector.ToArray(), random);
            var hits = index.Search(query, 10, Dm);
            var expected = exact.Search(query, 10, Dm);
            Assert.Equal(10, hits.Count);
            Assert.Equal(source.Id, hits[0].Id);
            Assert.Equal(expected[0].Similarity, hits[0].Similarity, 5);
            overlap += hits.Select(h => h.Id).Intersect(expected.Select(h => h.Id)).Count() / 10.0;
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity), "hits best first");
        }

        Assert.True(overlap / 50 >= 0.9, $"recall@10 {overlap / 50}");
    }

    [Fact]
    public async Task Search_BelowMinimumSize_NoGraphSameAsExact()
    {
        var entries = Clustered(500, 3);
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var exact = Exact(entries);
        var query = RandomVector(new Random(4));

        Assert.False(index.HasGraph);
        Assert.Equal(exact.Search(query, 10, Dm), index.Search(query, 10, Dm));
    }

    [Fact]
    public async Task Search_PublicAndPrivateScopes_OnlyAllowedMemoriesEvenThroughTheGraph()
    {
        // Half public, the rest split between two private channels and direct messages.
        var entries = Clustered(4000, 5, i => (i % 4) switch
        {
            0 or 1 => ("general", PrivacyLevel.PublicChannel),
            2 => (i % 8 == 2 ? "team-a" : "team-b", PrivacyLevel.PrivateChannel),
            _ => ("dm", PrivacyLevel.DirectMessage),
        });
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var exact = Exact(entries);
        var byId = entries.ToDictionary(e => e.Id);
        var random = new Random(6);
        var sameBest = 0;
        for (var q = 0; q < 40; q++)
        {
            // Queries aimed at direct-message and other-channel memories must still return only allowed ones.
            var query = Near(entries[random.Next(entries.Count)].Vector.ToArray(), random);
            foreach (var scope in new[] { Public, TeamA })
            {
                var hits = index.Search(query, 10, scope);
                Assert.Equal(10, hits.Count);
                Assert.All(hits, h => Assert.True(scope.Allows(byId[h.Id].Privacy, byId[h.Id].ChannelId), $"memory {h.Id} leaked into {scope.Privacy}"));
                sameBest += exact.Search(query, 1, scope)[0].Id == hits[0].Id ? 1 : 0;
            }
        }

        Assert.True(sameBest >= 72, $"best allowed hit matched the exact scan's in {sameBest} of 80 searches");
    }

    [Fact]
    public async Task Search_ScopeSeesFewMemories_ExactFallbackFindsThemAll()
    {
        // 1% public: the graph's candidates would rarely include them, so the exact scan answers.
        var entries = Clustered(3000, 7, i => i % 100 == 0 ? ("general", PrivacyLevel.PublicChannel) : ("dm", PrivacyLevel.DirectMessage));
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var exact = Exact(entries);
        var query = RandomVector(new Random(8));

        var hits = index.Search(query, 50, Public);

        Assert.True(index.HasGraph);
        Assert.Equal(30, hits.Count);
        Assert.Equal(exact.Search(query, 50, Public), hits);
    }

    [Fact]
    public async Task Upsert_AfterBuild_NewVectorFoundRemovedOneGone()
    {
        var entries = Clustered(2000, 9);
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var fresh = RandomVector(new Random(10));

        index.Upsert(new MemoryVectorEntry(99_999, "dm", PrivacyLevel.DirectMessage, fresh));
        Assert.Equal(99_999, index.Search(fresh, 5, Dm)[0].Id);

        Assert.True(index.Remove(99_999));
        Assert.DoesNotContain(index.Search(fresh, 50, Dm), h => h.Id == 99_999);
        Assert.Equal(2000, index.Count);
    }

    [Fact]
    public async Task Upsert_WhileTheGraphBuilds_ChangesReachTheGraph()
    {
        var entries = Clustered(12_000, 11);
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        Assert.False(index.HasGraph);

        // Written and deleted while the build runs: the graph must end up with exactly the current set.
        var random = new Random(12);
        var added = Enumerable.Range(0, 20).Select(i => new MemoryVectorEntry(50_000 + i, "dm", PrivacyLevel.DirectMessage, RandomVector(random))).ToList();
        foreach (var entry in added)
        {
            index.Upsert(entry);
        }

        var removed = entries.Take(20).ToList();
        foreach (var entry in removed)
        {
            index.Remove(entry.Id);
        }

        await index.WaitForGraphAsync();
        Assert.True(index.HasGraph);
        foreach (var entry in added)
        {
            Assert.Equal(entry.Id, index.Search(entry.Vector.Span, 3, Dm)[0].Id);
        }

        foreach (var entry in removed)
        {
            Assert.DoesNotContain(index.Search(entry.Vector.Span, 10, Dm), h => h.Id == entry.Id);
        }
    }

    [Fact]
    public async Task Search_ConcurrentWithWrites_EveryResultValid()
    {
        var entries = Clustered(3000, 13);
        using var index = Create(minimum: 1000);
        index.UpsertRange(entries);
        await index.WaitForGraphAsync();
        var random = new Random(14);
        var queries = Enumerable.Range(0, 200).Select(_ => RandomVector(random)).ToArray();

        var searches = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = t; i < queries.Length; i += 4)
            {
                var hits = index.Search(queries[i], 10, Dm);
                Assert.Equal(10, hits.Count);
                Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
            }
        }));
        var writes = Task.Run(() =>
        {
            var local = new Random(15);
            for (var i = 0; i < 300; i++)
            {
                index.Upsert(new MemoryVectorEntry(80_000 + i, "dm", PrivacyLevel.DirectMessage, RandomVector(local)));
            }
        });
        await Task.WhenAll(searches.Append(writes));

        Assert.Equal(3300, index.Count);
    }

    [Fact]
    public void Options_OutOfRange_ErrorNamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new HnswOptions { Connectivity = 1 }.Validate());
        Assert.Contains("memory.hnsw.Connectivity", error.Message, StringComparison.Ordinal);
    }
}
