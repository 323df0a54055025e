namespace WhisperEngine.Memory.Clustering;

/// <summary>The outcome of <see cref="SphericalKMeans.Cluster"/>.</summary>
/// <param name="Centroids">The unit centroids, <paramref name="K"/> rows of the input's dimension.</param>
/// <param name="Assignment">The cluster (0 to k-1) of each input row.</param>
/// <param name="K">Number of clusters.</param>
/// <param name="Iterations">Assignment rounds run.</param>
public sealed record KMeansResult(float[] Centroids, int[] Assignment, int K, int Iterations);
