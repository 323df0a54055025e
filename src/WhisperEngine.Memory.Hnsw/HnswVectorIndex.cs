using System.Diagnostics;
using Cloud.Unum.USearch;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Hnsw;

/// <summary>
/// A partition's vectors searched through an HNSW graph (USearch) once the partition holds
/// <see cref="HnswOptions.MinimumPartitionSize"/> vectors, and exactly below that. The exact index stays the source
/// of truth: it holds the float32 vectors, the privacy data of each memory and answers
/// <see cref="Similarity"/>; the graph only proposes candidates, which are re-scored exactly and filtered by the
/// recall scope.
/// </summary>
/// <remarks>
/// <para>Thread-safe. The graph is built in the background (exact search serves meanwhile) from a snapshot, and the
/// writes that land during the build are replayed onto it before it is used. Graph operations are serialised by one
/// lock: USearch has a fixed number of search contexts and grows its storage in place, and a search takes well under
/// a millisecond, so a queue of searches costs less than per-thread views would.</para>
/// <para>Every search takes <see cref="HnswOptions.OverFetch"/> candidates per result from the graph and keeps the
/// best after exact re-scoring. Privacy: the graph knows nothing of scopes. A search that may see only part of the
/// partition takes proportionally more, keeps the allowed ones, and falls back to the exact scan (which skips
/// disallowed rows before any arithmetic) when fewer than asked for survive, or when the scope may see fewer than
/// <see cref="HnswOptions.MinimumPartitionSize"/>.</para>
/// </remarks>
public sealed class HnswVectorIndex : IVectorIndex, IDisposable
{
    private static volatile bool s_unavailable;

    private readonly ExactVectorIndex _exact;
    private readonly HnswOptions _options;
    private readonly ILogger _logger;
    private readonly string _partition;
    private readonly Lock _graphLock = new();
    private readonly float[] _buffer;
    private USearchIndex? _graph;
    private List<long>? _pending;
    private Task? _build;
    private bool _failed;
    private bool _disposed;

    public HnswVectorIndex(int dimensions, int capacity, HnswOptions options, ILogger<HnswVectorIndex> logger, string partition = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _exact = new ExactVectorIndex(dimensions, capacity);
        _options = options;
        _logger = logger;
        _partition = partition;
        _buffer = new float[dimensions];
    }

    public int Dimensions => _exact.Dimensions;

    public int Count => _exact.Count;

    /// <summary>True once the graph is built and in use.</summary>
    public bool HasGraph
    {
        get
        {
            lock (_graphLock)
            {
                return _graph is not null;
            }
        }
    }

    /// <summary>How long the last graph build took (null before one finished).</summary>
    public TimeSpan? BuildTime { get; private set; }

    /// <summary>Completes when a running graph build has finished (at once when none runs).</summary>
    public Task WaitForGraphAsync(CancellationToken cancellationToken = default)
    {
        Task? build;
        lock (_graphLock)
        {
            build = _build;
        }

        return build is null ? Task.CompletedTask : build.WaitAsync(cancellationToken);
    }

    public void Upsert(MemoryVectorEntry entry)
    {
        _exact.Upsert(entry);
        Changed(entry.Id);
        StartBuildIfLarge();
    }

    public void UpsertRange(IEnumerable<MemoryVectorEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            _exact.Upsert(entry);
            Changed(entry.Id);
        }

        StartBuildIfLarge();
    }

    public bool Remove(long id)
    {
        var removed = _exact.Remove(id);
        Changed(id);
        return removed;
    }

    public float? Similarity(long a, long b) => _exact.Similarity(a, b);

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, RecallScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (k <= 0 || !TryPlan(k, scope, out var fetch, out var allowed))
        {
            return _exact.Search(query, k, scope);
        }

        var candidates = SearchGraph(query, fetch);
        if (candidates is null)
        {
            return _exact.Search(query, k, scope);
        }

        var hits = new List<VectorHit>(candidates.Length);
        _exact.ScoreCandidates(query, candidates, scope, hits);
        if (hits.Count < k && hits.Count < allowed)
        {
            // Too few allowed candidates survived the filter (or the graph missed some): the exact scan is right.
            return _exact.Search(query, k, scope);
        }

        hits.Sort(static (a, b) => b.Similarity.CompareTo(a.Similarity));
        return hits.Count > k ? hits.GetRange(0, k) : hits;
    }

    /// <summary>The exact scan, whatever the partition's size (the benchmark's reference for recall).</summary>
    internal IReadOnlyList<VectorHit> SearchExact(ReadOnlySpan<float> query, int k, RecallScope scope) => _exact.Search(query, k, scope);

    public void Dispose()
    {
        lock (_graphLock)
        {
            _disposed = true;
            _graph?.Dispose();
            _graph = null;
            _pending = null;
        }
    }

    /// <summary>Decides whether the graph serves this search and how many candidates to take from it.</summary>
    private bool TryPlan(int k, RecallScope scope, out int fetch, out int allowed)
    {
        fetch = 0;
        allowed = 0;
        if (Volatile.Read(ref _graph) is null)
        {
            return false;
        }

        var count = _exact.Count;
        allowed = _exact.AllowedUpperBound(scope);
        if (allowed < _options.MinimumPartitionSize)
        {
            // Few enough allowed vectors that the exact scan (which skips the others) is as fast and always right.
            return false;
        }

        // Re-scoring more candidates than asked for repairs most of the graph's (and bfloat16's) misorderings.
        var wanted = (long)k * _options.OverFetch * (((long)count + allowed - 1) / allowed);
        if (wanted > _options.MaxCandidates && wanted > (long)k * _options.OverFetch)
        {
            return false;
        }

        fetch = (int)Math.Min(wanted, count);
        return true;
    }

    private ulong[]? SearchGraph(ReadOnlySpan<float> query, int fetch)
    {
        var vector = query.ToArray();
        lock (_graphLock)
        {
            if (_graph is null)
            {
                return null;
            }

            _graph.Search(vector, fetch, out var keys, out _);
            return keys;
        }
    }

    /// <summary>Brings the graph in line with the exact index for one id (or notes it for a running build).</summary>
    private void Changed(long id)
    {
        lock (_graphLock)
        {
            if (_graph is not null)
            {
                Apply(_graph, id, _buffer);
            }
            else
            {
                _pending?.Add(id);
            }
        }
    }

    private void Apply(USearchIndex graph, long id, float[] buffer)
    {
        var key = (ulong)id;
        if (graph.Contains(key))
        {
            graph.Remove(key);
        }

        if (_exact.TryCopyVector(id, buffer))
        {
            graph.Add(key, buffer);
        }
    }

    private void StartBuildIfLarge()
    {
        if (s_unavailable || _exact.Count < _options.MinimumPartitionSize)
        {
            return;
        }

        lock (_graphLock)
        {
            if (_graph is not null || _build is not null || _failed || _disposed)
            {
                return;
            }

            // Changes from here on are replayed onto the graph; the snapshot below is taken after this point.
            _pending = [];
            _build = Task.Run(Build);
        }
    }

    private void Build()
    {
        var watch = Stopwatch.StartNew();
        USearchIndex? graph = null;
        try
        {
            graph = new USearchIndex(MetricKind.Cos, _options.HalfPrecision ? ScalarKind.BFloat16 : ScalarKind.Float32, (ulong)Dimensions,
                (ulong)_options.Connectivity, (ulong)_options.ExpansionAdd, (ulong)_options.ExpansionSearch);
            var buffer = new float[Dimensions];
            var ids = _exact.SnapshotIds();
            foreach (var id in ids)
            {
                if (_exact.TryCopyVector(id, buffer))
                {
                    graph.Add((ulong)id, buffer);
                }
            }

            lock (_graphLock)
            {
                if (_disposed)
                {
                    return;
                }

                foreach (var id in _pending ?? [])
                {
                    Apply(graph, id, buffer);
                }

                _pending = null;
                _graph = graph;
                graph = null;
                BuildTime = watch.Elapsed;
            }

            HnswLog.GraphBuilt(_logger, _partition, ids.Length, watch.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            // No native USearch for this platform: every partition stays exact (correct, slower beyond ~100,000).
            if (!s_unavailable)
            {
                s_unavailable = true;
                HnswLog.Unavailable(_logger, ex.Message);
            }

            Failed();
        }
        catch (Exception ex) when (ex is USearchException or OutOfMemoryException or InvalidOperationException)
        {
            HnswLog.BuildFailed(_logger, ex, _partition);
            Failed();
        }
        finally
        {
            graph?.Dispose();
            lock (_graphLock)
            {
                _build = null;
            }
        }
    }

    private void Failed()
    {
        lock (_graphLock)
        {
            _failed = true;
            _pending = null;
        }
    }
}
