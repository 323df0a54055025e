using BenchmarkDotNet.Attributes;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>Top-10 exact cosine search over one partition of MiniLM-sized vectors, by partition size.</summary>
[MemoryDiagnoser]
public class ExactVectorIndexBenchmarks
{
    private static readonly RecallScope Scope = new(new MemoryPartition("t", "b", "u"), "dm", PrivacyLevel.DirectMessage);
    private ExactVectorIndex _index = null!;
    private float[] _query = null!;

    [Params(1_000, 10_000, 50_000)]
    public int Vectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _index = new ExactVectorIndex(384, Vectors);
        for (var i = 0; i < Vectors; i++)
        {
            _index.Upsert(new MemoryVectorEntry(i, "dm", PrivacyLevel.DirectMessage, Vector(random)));
        }

        _query = Vector(random);
    }

    [Benchmark]
    public int SearchTop10() => _index.Search(_query, 10, Scope).Count;

    private static float[] Vector(Random random) => Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
}
