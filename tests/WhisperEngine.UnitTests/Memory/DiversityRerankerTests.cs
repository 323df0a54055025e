using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class DiversityRerankerTests
{
    // a and b say the same thing; c is different and only slightly less relevant.
    private static readonly (long Id, double Score)[] Ranked = [(1, 1.0), (2, 0.98), (3, 0.9), (4, 0.5)];

    private static float? Similarity(long x, long y) => (Math.Min(x, y), Math.Max(x, y)) == (1, 2) ? 0.99f : 0.1f;

    [Fact]
    public void Rerank_NearCopyOfTheFirst_FallsBehindADifferentHit()
    {
        var order = DiversityReranker.Rerank(Ranked, r => r.Score, r => r.Id, Similarity, lambda: 0.7, depth: 10);

        Assert.Equal([1L, 3, 2, 4], order.Select(r => r.Id));
    }

    [Fact]
    public void Rerank_LambdaOne_OrderKept()
    {
        var order = DiversityReranker.Rerank(Ranked, r => r.Score, r => r.Id, Similarity, lambda: 1, depth: 10);

        Assert.Equal([1L, 2, 3, 4], order.Select(r => r.Id));
    }
}
