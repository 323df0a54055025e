using WhisperEngine.Memory.Clustering;

namespace WhisperEngine.UnitTests.Memory;

public sealed class ClusterLabelerTests
{
    [Fact]
    public void Label_DistinctiveWordsOfEachCluster_CommonWordsLeftOut()
    {
        string[] texts =
        [
            "I made a clay bowl in pottery class today", "Pottery class again, the clay was wet today", "My clay vase cracked in the kiln today",
            "We hiked the mountain trail today", "The mountain trail was muddy today", "Hiking the ridge trail with my dog today",
        ];
        int[] assignment = [0, 0, 0, 1, 1, 1];

        var labels = ClusterLabeler.Label(texts, assignment, 2);

        Assert.Contains("clay", labels[0], StringComparison.Ordinal);
        Assert.Contains("pottery", labels[0], StringComparison.Ordinal);
        Assert.Contains("trail", labels[1], StringComparison.Ordinal);
        Assert.Contains("mountain", labels[1], StringComparison.Ordinal);
        Assert.DoesNotContain("today", labels[0] + labels[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Label_NoWordSharedWithinACluster_EmptyLabel()
    {
        var labels = ClusterLabeler.Label(["apples", "bicycles"], [0, 0], 1);

        Assert.Equal("", labels[0]);
    }
}
