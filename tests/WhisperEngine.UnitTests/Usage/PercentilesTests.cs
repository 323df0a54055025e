using WhisperEngine.Usage.Reports;

namespace WhisperEngine.UnitTests.Usage;

public sealed class PercentilesTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void NearestRank_OneToHundred_IsTheRankItself(double percentile, double expected) =>
        Assert.Equal(expected, Percentiles.NearestRank(OneToHundred, percentile));

    [Fact]
    public void NearestRank_TwentyValues_TakesCeilingRankWithoutFloatingPointDrift()
    {
        double[] values = [.. Enumerable.Range(1, 20).Select(i => i * 10.0)];

        // 0.95 * 20 = 19 exactly: rank 19, not 20.
        Assert.Equal(190, Percentiles.NearestRank(values, 95));
        Assert.Equal(100, Percentiles.NearestRank(values, 50));
        // 0.99 * 20 = 19.8: rank 20.
        Assert.Equal(200, Percentiles.NearestRank(values, 99));
    }

    [Fact]
    public void NearestRank_FourValues_ReturnsObservedValuesNotInterpolations()
    {
        double[] values = [15, 20, 35, 50];

        Assert.Equal(20, Percentiles.NearestRank(values, 50));
        Assert.Equal(50, Percentiles.NearestRank(values, 90));
    }

    [Fact]
    public void NearestRank_Empty_IsNull() => Assert.Null(Percentiles.NearestRank([], 50));

    [Fact]
    public void NearestRank_PercentileOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank(OneToHundred, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank(OneToHundred, 101));
    }

    [Fact]
    public void Summarize_UnsortedValues_SortsAndReportsCountMeanAndMax()
    {
        var summary = Percentiles.Summarize([300, 100, 200, 400]);

        Assert.Equal(new LatencySummary(4, 250, 200, 400, 400, 400, 400), summary);
    }

    [Fact]
    public void Summarize_NoValues_IsAllNull() =>
        Assert.Equal(new LatencySummary(0, null, null, null, null, null, null), Percentiles.Summarize([]));
}
