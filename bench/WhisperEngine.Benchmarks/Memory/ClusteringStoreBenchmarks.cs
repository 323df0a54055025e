using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>
/// The whole background job on a SQLite file, as the engine runs it: a full re-clustering of one partition (read every
/// vector and text, spherical k-means, labels, write every cluster and cluster id in one transaction).
/// </summary>
[MemoryDiagnoser]
public class ClusteringStoreBenchmarks
{
    private const int Dimensions = 384;
    private static readonly MemoryPartition Partition = new("bench", "elena", "ann");
    private string _folder = null!;
    private SqliteDatabase _database = null!;
    private SqliteMemoryStore _store = null!;
    private MemoryClusterer _clusterer = null!;

    [Params(10_000)]
    public int Memories { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "we-cluster-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        _database = new SqliteDatabase(new SqliteStoreOptions { Path = Path.Combine(_folder, "bench.db") });
        _database.Migrate([SqliteMemoryServiceCollectionExtensions.Module]);
        _store = new SqliteMemoryStore(_database, TimeProvider.System);
        var rows = ClusteredVectors.Make(Memories, Dimensions, topics: 80, seed: 11);
        var texts = ClusteredVectors.Texts(Memories, topics: 80, seed: 5);
        for (var i = 0; i < Memories; i++)
        {
            _store.AddAsync(NewMemory(texts[i]), 20, new StoredEmbedding(FixedModel.Id, rows.AsMemory(i * Dimensions, Dimensions).ToArray()))
                .AsTask().GetAwaiter().GetResult();
        }

        _clusterer = new MemoryClusterer(_store, _store, new FixedModel(), new ClusteringOptions(), TimeProvider.System, NullLogger<MemoryClusterer>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public int Rebuild() => _clusterer.RebuildAsync(Partition).AsTask().GetAwaiter().GetResult().Clusters;

    private static NewMemory NewMemory(string text) =>
        new(Partition, "dm", PrivacyLevel.DirectMessage, "Ann", text, DateTimeOffset.UtcNow);

    /// <summary>Reports the MiniLM model id (the clusterer tags clusters with it); never asked to embed.</summary>
    private sealed class FixedModel : IEmbeddingGenerator<string, Embedding<float>>
    {
        public const string Id = "all-MiniLM-L6-v2";

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException("The clustering benchmark never embeds.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fixed", null, Id, Dimensions) : null;

        public void Dispose()
        {
        }
    }
}
