using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.UnitTests.Memory;

public sealed class ExactVectorIndexTests
{
    private static readonly MemoryPartition Partition = new("t", "bot", "ann");
    private static readonly RecallScope Dm = new(Partition, "dm", PrivacyLevel.DirectMessage);

    private static float[] RandomVector(Random random, int dimensions) =>
        Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    [Fact]
    public void Search_RandomVectors_SameTopKAsBruteForce()
    {
        var random = new Random(42);
        const int dimensions = 384;
        var index = new ExactVectorIndex(dimensions, capacity: 16);
        var vectors = new Dictionary<long, float[]>();
        for (var id = 1; id <= 700; id++)
        {
            vectors[id] = RandomVector(random, dimensions);
            index.Upsert(new MemoryVectorEntry(id, "dm", PrivacyLevel.DirectMessage, vectors[id]));
        }

        for (var q = 0; q < 20; q++)
        {
            var query = RandomVector(random, dimensions);
            var expected = vectors.Select(v => (Id: v.Key, Score: Cosine(query, v.Value))).OrderByDescending(v => v.Score).Take(10).ToList();

            var hits = index.Search(query, 10, Dm);

            Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id));
            for (var i = 0; i < hits.Count; i++)
            {
                Assert.Equal(expected[i].Score, hits[i].Similarity, 4);
            }
        }
    }

    [Fact]
    public void Search_PublicScope_LeavesOutDirectAndPrivateMemories()
    {
        var index = new ExactVectorIndex(2);
        index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 0 }));
        index.Upsert(new MemoryVectorEntry(2, "staff", PrivacyLevel.PrivateChannel, new float[] { 1, 0.1f }));
        index.Upsert(new MemoryVectorEntry(3, "general", PrivacyLevel.PublicChannel, new float[] { 0, 1 }));

        var hits = index.Search(new float[] { 1, 0 }, 10, new RecallScope(Partition, "general", PrivacyLevel.PublicChannel));

        Assert.Equal([3L], hits.Select(h => h.Id));
    }

    [Fact]
    public void Upsert_SameId_ReplacesVector()
    {
        var index = new ExactVectorIndex(2);
        index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 0 }));
        index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 0, 3 }));

        var hit = Assert.Single(index.Search(new float[] { 0, 1 }, 5, Dm));
        Assert.Equal(1, index.Count);
        Assert.Equal(1f, hit.Similarity, 5);
    }

    [Fact]
    public void Remove_MiddleEntry_OthersStillFoundWithTheirOwnVectors()
    {
        var index = new ExactVectorIndex(2);
        index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 0 }));
        index.Upsert(new MemoryVectorEntry(2, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 1 }));
        index.Upsert(new MemoryVectorEntry(3, "dm", PrivacyLevel.DirectMessage, new float[] { 0, 1 }));

        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));

        Assert.Equal(2, index.Count);
        Assert.Equal(3, index.Search(new float[] { 0, 1 }, 1, Dm)[0].Id);
        Assert.Equal(2, index.Search(new float[] { 1, 0 }, 1, Dm)[0].Id);
        Assert.Null(index.Similarity(1, 2));
        Assert.Equal(1f, index.Similarity(3, 3)!.Value, 5);
    }

    [Fact]
    public void Upsert_WrongDimension_Throws()
    {
        var index = new ExactVectorIndex(3);

        Assert.Throws<ArgumentException>(() => index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 0 })));
    }

    [Fact]
    public void Search_KLargerThanCount_ReturnsAllBestFirst()
    {
        var index = new ExactVectorIndex(2);
        index.Upsert(new MemoryVectorEntry(1, "dm", PrivacyLevel.DirectMessage, new float[] { 0, 1 }));
        index.Upsert(new MemoryVectorEntry(2, "dm", PrivacyLevel.DirectMessage, new float[] { 1, 0 }));

        var hits = index.Search(new float[] { 1, 0.2f }, int.MaxValue, Dm);

        Assert.Equal([2L, 1L], hits.Select(h => h.Id));
    }
}
