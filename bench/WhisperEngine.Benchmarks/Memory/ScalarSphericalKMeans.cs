using WhisperEngine.Memory.Clustering;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// The baseline: the same spherical k-means as <see cref="SphericalKMeans"/> (same seeding, same stopping rule) in plain
/// scalar loops on one thread, as a straightforward port would be written.
/// </summary>
internal static class ScalarSphericalKMeans
{
    public static KMeansResult Cluster(float[] rows, int count, int d, int k, int maxIterations = 25, int seed = 17)
    {
        var random = new Random(seed);
        var centroids = new float[k * d];
        Array.Copy(rows, random.Next(count) * d, centroids, 0, d);
        var distance = new double[count];
        Array.Fill(distance, double.MaxValue);
        for (var c = 1; c < k; c++)
        {
            double total = 0;
            for (var i = 0; i < count; i++)
            {
                var dist = Math.Max(0, 2 - (2 * Dot(rows, i * d, centroids, (c - 1) * d, d)));
                distance[i] = Math.Min(distance[i], dist);
                total += distance[i];
            }

            var target = random.NextDouble() * total;
            var pick = count - 1;
            for (var i = 0; i < count; i++)
            {
                target -= distance[i];
                if (target <= 0)
                {
                    pick = i;
                    break;
                }
            }

            Array.Copy(rows, pick * d, centroids, c * d, d);
        }

        var assignment = new int[count];
        Array.Fill(assignment, -1);
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var moved = 0;
            for (var i = 0; i < count; i++)
            {
                var best = 0;
                var bestScore = float.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    var score = Dot(rows, i * d, centroids, c * d, d);
                    if (score > bestScore)
                    {
                        (best, bestScore) = (c, score);
                    }
                }

                if (assignment[i] != best)
                {
                    assignment[i] = best;
                    moved++;
                }
            }

            Array.Clear(centroids);
            for (var i = 0; i < count; i++)
            {
                var c = assignment[i];
                for (var j = 0; j < d; j++)
                {
                    centroids[(c * d) + j] += rows[(i * d) + j];
                }
            }

            for (var c = 0; c < k; c++)
            {
                double norm = 0;
                for (var j = 0; j < d; j++)
                {
                    norm += centroids[(c * d) + j] * centroids[(c * d) + j];
                }

                var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
                for (var j = 0; j < d; j++)
                {
                    centroids[(c * d) + j] *= scale;
                }
            }

            if (moved <= count / 200)
            {
                iterations++;
                break;
            }
        }

        return new KMeansResult(centroids, assignment, k, iterations);
    }

    private static float Dot(float[] a, int offsetA, float[] b, int offsetB, int d)
    {
        var sum = 0f;
        for (var j = 0; j < d; j++)
        {
            sum += a[offsetA + j] * b[offsetB + j];
        }

        return sum;
    }
}
