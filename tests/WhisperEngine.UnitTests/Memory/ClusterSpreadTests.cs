using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class ClusterSpreadTests
{
    [Fact]
    public void Apply_ClusterOverItsShare_RestMovesBehindOthersInOrder()
    {
        (string Id, int? Cluster)[] ranked = [("a", 1), ("b", 1), ("c", 1), ("d", 2), ("e", null), ("f", 1), ("g", 3)];

        var spread = ClusterSpread.Apply(ranked, r => r.Cluster, 2);

        Assert.Equal(["a", "b", "d", "e", "g", "c", "f"], spread.Select(r => r.Id));
    }

    [Fact]
    public void Apply_NoLimit_OrderKept()
    {
        (string Id, int? Cluster)[] ranked = [("a", 1), ("b", 1), ("c", 1)];

        Assert.Equal(["a", "b", "c"], ClusterSpread.Apply(ranked, r => r.Cluster, 0).Select(r => r.Id));
    }
}
