using System.Numerics.Tensors;
using WhisperEngine.Memory.Clustering;

namespace WhisperEngine.UnitTests.Memory;

public sealed class SphericalKMeansTests
{
    private const int Dimensions = 32;

    /// <summary>Unit vectors around <paramref name="topics"/> orthogonal axes; vector i belongs to topic i mod topics.</summary>
    private static float[] Planted(int count, int topics, double noise, int seed = 3)
    {
        var random = new Random(seed);
        var rows = new float[count * Dimensions];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * Dimensions, Dimensions);
            for (var j = 0; j < Dimensions; j++)
            {
                row[j] = (float)((random.NextDouble() - 0.5) * noise);
            }

            row[i % topics] += 1;
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }

        return rows;
    }

    [Fact]
    public void Cluster_PlantedTopics_EachTopicInOneClusterAndNoClusterMixed()
    {
        const int count = 400;
        const int topics = 5;
        var rows = Planted(count, topics, noise: 0.3);

        var result = SphericalKMeans.Cluster(rows, count, Dimensions, topics);

        for (var t = 0; t < topics; t++)
        {
            var clusters = Enumerable.Range(0, count).Where(i => i % topics == t).Select(i => result.Assignment[i]).Distinct().ToList();
            Assert.Single(clusters);
        }

        Assert.Equal(topics, result.Assignment.Distinct().Count());
    }

    [Fact]
    public void Cluster_SameInput_SameClusters()
    {
        var rows = Planted(300, 6, noise: 0.8);

        var first = SphericalKMeans.Cluster(rows, 300, Dimensions, 6);
        var second = SphericalKMeans.Cluster(rows, 300, Dimensions, 6);

        Assert.Equal(first.Assignment, second.Assignment);
        Assert.Equal(first.Centroids, second.Centroids);
    }

    [Fact]
    public void Cluster_Centroids_AreUnitVectorsNearestToTheirMembers()
    {
        var rows = Planted(200, 4, noise: 0.5);

        var result = SphericalKMeans.Cluster(rows, 200, Dimensions, 4);

        for (var c = 0; c < result.K; c++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(result.Centroids.AsSpan(c * Dimensions, Dimensions)), 3);
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(result.Assignment[i], SphericalKMeans.Nearest(rows.AsSpan(i * Dimensions, Dimensions), result.Centroids, result.K).Cluster);
        }
    }

    [Fact]
    public void Cluster_MoreClustersThanVectors_OneClusterPerVector()
    {
        var rows = Planted(3, 3, noise: 0.1);

        var result = SphericalKMeans.Cluster(rows, 3, Dimensions, 10);

        Assert.Equal(3, result.K);
        Assert.Equal([0, 1, 2], result.Assignment.Order());
    }

    [Theory]
    [InlineData(2, 64, 1)]
    [InlineData(20, 64, 3)]
    [InlineData(600, 64, 17)]
    [InlineData(10_000, 64, 64)]
    [InlineData(10_000, 16, 16)]
    public void ChooseK_SquareRootOfHalfWithinLimits(int count, int max, int expected)
    {
        Assert.Equal(expected, SphericalKMeans.ChooseK(count, max));
    }
}
