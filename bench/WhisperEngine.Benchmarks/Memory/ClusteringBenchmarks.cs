using BenchmarkDotNet.Attributes;
using WhisperEngine.Memory.Clustering;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// Topic clustering of one partition's MiniLM-sized vectors (384 dimensions) with the k the engine chooses (at most
/// 64): <see cref="SphericalKMeans"/> (SIMD, rows split across cores) against the same algorithm in plain scalar loops
/// on one thread (the baseline), the labels of every cluster, and the incremental step (one new memory to its
/// nearest centroid). Vectors are drawn around hidden topic centres, as conversation embeddings are, not uniformly.
/// </summary>
[MemoryDiagnoser]
public class ClusteringBenchmarks
{
    private const int Dimensions = 384;
    private float[] _rows = null!;
    private string[] _texts = null!;
    private int[] _assignment = null!;
    private float[] _centroids = null!;
    private float[] _newVector = null!;
    private int _k;

    [Params(1_000, 10_000)]
    public int Memories { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rows = ClusteredVectors.Make(Memories, Dimensions, topics: 80, seed: 11);
        _k = SphericalKMeans.ChooseK(Memories, 64);
        _texts = ClusteredVectors.Texts(Memories, topics: 80, seed: 5);
        var result = SphericalKMeans.Cluster(_rows, Memories, Dimensions, _k);
        _assignment = result.Assignment;
        _centroids = result.Centroids;
        _newVector = ClusteredVectors.Make(1, Dimensions, topics: 80, seed: 12);
    }

    [Benchmark(Baseline = true)]
    public int ScalarKMeans() => ScalarSphericalKMeans.Cluster(_rows, Memories, Dimensions, _k).Iterations;

    [Benchmark]
    public int SimdKMeans() => SphericalKMeans.Cluster(_rows, Memories, Dimensions, _k).Iterations;

    [Benchmark]
    public int Labels() => ClusterLabeler.Label(_texts, _assignment, _k).Length;

    [Benchmark]
    public int AssignNewMemory() => SphericalKMeans.Nearest(_newVector, _centroids, _k).Cluster;
}
