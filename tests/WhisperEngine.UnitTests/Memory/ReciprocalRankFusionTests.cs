using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_IdInBothRankings_ScoresSumOfReciprocalRanks()
    {
        var fused = ReciprocalRankFusion.Fuse([[1, 2, 3], [3, 4]], [1.0, 1.0], 60);

        var byId = fused.ToDictionary(f => f.Id, f => f.Score);
        Assert.Equal((1.0 / 63) + (1.0 / 61), byId[3], 12);
        Assert.Equal(1.0 / 61, byId[1], 12);
        Assert.Equal(1.0 / 62, byId[4], 12);
        Assert.Equal(3, fused[0].Id);
    }

    [Fact]
    public void Fuse_Weights_ScaleEachRankingsContribution()
    {
        var fused = ReciprocalRankFusion.Fuse([[1], [2]], [1.0, 2.0], 60);

        Assert.Equal([2L, 1L], fused.Select(f => f.Id));
        Assert.Equal(2.0 / 61, fused[0].Score, 12);
    }

    [Fact]
    public void Fuse_EqualScores_BetterSingleRankThenLowerIdFirst()
    {
        // 5 is first in one list, 7 first in the other: equal scores and ranks, so the lower id wins.
        var fused = ReciprocalRankFusion.Fuse([[5, 9], [7, 8]], [1.0, 1.0], 60);

        Assert.Equal([5L, 7L, 8L, 9L], fused.Select(f => f.Id));
    }

    [Fact]
    public void Fuse_NoCandidates_ReturnsEmpty()
    {
        Assert.Empty(ReciprocalRankFusion.Fuse([[], []], [1.0, 1.0], 60));
    }

    [Fact]
    public void Fuse_WeightCountDiffers_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([[1]], [1.0, 1.0], 60));
    }
}
