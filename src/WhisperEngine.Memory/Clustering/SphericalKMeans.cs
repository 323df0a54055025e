using System.Numerics.Tensors;

namespace WhisperEngine.Memory.Clustering;

/// <summary>
/// Spherical k-means (Dhillon and Modha, 2001): unit vectors grouped by cosine similarity, each centroid the normalised
/// mean of its members. Seeded by k-means++ (Arthur and Vassilvitskii, 2007) with a fixed seed, so the same vectors
/// give the same clusters. The assignment step is a SIMD dot product per (row, centroid)
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>), rows split across cores.
/// </summary>
/// <remarks>Pure computation; thread-safe (no shared state).</remarks>
public static class SphericalKMeans
{
    /// <summary>The k for <paramref name="count"/> vectors: about the square root of half of them, within 2 and <paramref name="maxClusters"/>.</summary>
    public static int ChooseK(int count, int maxClusters) =>
        count < 4 ? 1 : Math.Clamp((int)Math.Round(Math.Sqrt(count / 2.0)), 2, Math.Max(2, maxClusters));

    /// <summary>Clusters <paramref name="count"/> unit vectors of <paramref name="dimensions"/> floats held row after row in <paramref name="rows"/>.</summary>
    /// <param name="rows">The vectors, normalised, <c>count * dimensions</c> floats.</param>
    /// <param name="count">Number of vectors.</param>
    /// <param name="dimensions">Length of each.</param>
    /// <param name="k">Clusters wanted (at most <paramref name="count"/>).</param>
    /// <param name="maxIterations">Assignment rounds at most; it stops earlier when fewer than 0.5% of rows move.</param>
    /// <param name="seed">Seed of the k-means++ draws.</param>
    public static KMeansResult Cluster(float[] rows, int count, int dimensions, int k, int maxIterations = 25, int seed = 17)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows.Length, count * dimensions, nameof(rows));
        if (count == 0)
        {
            return new KMeansResult([], [], 0, 0);
        }

        k = Math.Clamp(k, 1, count);
        var centroids = Seed(rows, count, dimensions, k, new Random(seed));
        var assignment = new int[count];
        var similarity = new float[count];
        Array.Fill(assignment, -1);
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var moved = Assign(rows, count, dimensions, centroids, k, assignment, similarity);
            Update(rows, count, dimensions, centroids, k, assignment, similarity);
            if (moved <= count / 200)
            {
                iterations++;
                break;
            }
        }

        // Final assignment against the final centroids, so each row is in the cluster whose centroid is nearest.
        Assign(rows, count, dimensions, centroids, k, assignment, similarity);
        return new KMeansResult(centroids, assignment, k, iterations);
    }

    /// <summary>The index of the centroid nearest (highest dot product) to <paramref name="vector"/>, and that similarity.</summary>
    public static (int Cluster, float Similarity) Nearest(ReadOnlySpan<float> vector, float[] centroids, int k)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        var dimensions = vector.Length;
        var best = -1;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < k; c++)
        {
            var score = TensorPrimitives.Dot(vector, centroids.AsSpan(c * dimensions, dimensions));
            if (score > bestScore)
            {
                (best, bestScore) = (c, score);
            }
        }

        return (best, bestScore);
    }

    private static float[] Seed(float[] rows, int count, int d, int k, Random random)
    {
        var centroids = new float[k * d];
        var first = random.Next(count);
        rows.AsSpan(first * d, d).CopyTo(centroids);

        // Squared distance on the unit sphere to the nearest chosen centroid: 2 - 2 cos.
        var distance = new double[count];
        Array.Fill(distance, double.MaxValue);
        for (var c = 1; c < k; c++)
        {
            var last = centroids.AsSpan((c - 1) * d, d);
            double total = 0;
            for (var i = 0; i < count; i++)
            {
                var dist = Math.Max(0, 2 - (2 * TensorPrimitives.Dot(rows.AsSpan(i * d, d), last)));
                if (dist < distance[i])
                {
                    distance[i] = dist;
                }

                total += distance[i];
            }

            var pick = count - 1;
            if (total > 0)
            {
                var target = random.NextDouble() * total;
                for (var i = 0; i < count; i++)
                {
                    target -= distance[i];
                    if (target <= 0)
                    {
                        pick = i;
                        break;
                    }
                }
            }
            else
            {
                pick = random.Next(count);
            }

            rows.AsSpan(pick * d, d).CopyTo(centroids.AsSpan(c * d, d));
        }

        return centroids;
    }

    private static int Assign(float[] rows, int count, int d, float[] centroids, int k, int[] assignment, float[] similarity)
    {
        var moved = 0;
        var chunks = Math.Min(Environment.ProcessorCount, Math.Max(1, count / 512));
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            var from = (int)((long)count * chunk / chunks);
            var to = (int)((long)count * (chunk + 1) / chunks);
            var local = 0;
            for (var i = from; i < to; i++)
            {
                var (best, score) = Nearest(rows.AsSpan(i * d, d), centroids, k);
                similarity[i] = score;
                if (assignment[i] != best)
                {
                    assignment[i] = best;
                    local++;
                }
            }

            Interlocked.Add(ref moved, local);
        });
        return moved;
    }

    private static void Update(float[] rows, int count, int d, float[] centroids, int k, int[] assignment, float[] similarity)
    {
        Array.Clear(centroids);
        var sizes = new int[k];
        for (var i = 0; i < count; i++)
        {
            var c = assignment[i];
            sizes[c]++;
            TensorPrimitives.Add(centroids.AsSpan(c * d, d), rows.AsSpan(i * d, d), centroids.AsSpan(c * d, d));
        }

        for (var c = 0; c < k; c++)
        {
            var centroid = centroids.AsSpan(c * d, d);
            if (sizes[c] == 0)
            {
                // An empty cluster takes the row furthest from its own centroid.
                var worst = 0;
                for (var i = 1; i < count; i++)
                {
                    if (similarity[i] < similarity[worst])
                    {
                        worst = i;
                    }
                }

                rows.AsSpan(worst * d, d).CopyTo(centroid);
                similarity[worst] = float.MaxValue;
                continue;
            }

            var norm = TensorPrimitives.Norm(centroid);
            if (norm > 0)
            {
                TensorPrimitives.Divide(centroid, norm, centroid);
            }
        }
    }
}
