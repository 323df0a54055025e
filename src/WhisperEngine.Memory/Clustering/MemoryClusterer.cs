using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory.Clustering;

/// <summary>
/// Topic clusters of a partition's memories, kept up to date in the background: new memories are assigned to the
/// nearest centroid; once those reach <see cref="ClusteringOptions.RebuildShare"/> of the partition, it is clustered
/// from scratch (<see cref="SphericalKMeans"/>, labels by <see cref="ClusterLabeler"/>). Only vectors of the current
/// embedding model are clustered.
/// </summary>
/// <remarks>
/// Thread-safe; runs on one partition never overlap. Never called on a reply's path. Labels are made of the words of
/// every memory of the partition, direct messages included: they are for the person and the operator (listing), not
/// for prompts in shared channels.
/// </remarks>
public sealed class MemoryClusterer
{
    private const int ReadBatch = 500;
    private readonly IMemoryStore _store;
    private readonly IMemoryClusterStore _clusters;
    private readonly ClusteringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MemoryPartition, SemaphoreSlim> _running = new();

    public MemoryClusterer(IMemoryStore store, IMemoryClusterStore clusters, IEmbeddingGenerator<string, Embedding<float>> embedder, ClusteringOptions options,
        TimeProvider time, ILogger<MemoryClusterer> logger)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        _store = store;
        _clusters = clusters;
        _options = options;
        _time = time;
        _logger = logger;
        Model = embedder.ModelId();
    }

    /// <summary>The model whose vectors are clustered.</summary>
    public EmbeddingModelId Model { get; }

    /// <summary>The clusters of a partition (for listing), largest first.</summary>
    public async ValueTask<IReadOnlyList<MemoryCluster>> ListAsync(MemoryPartition partition, CancellationToken cancellationToken = default) =>
        (await _clusters.GetClustersAsync(partition, cancellationToken)).OrderByDescending(c => c.Size).ThenBy(c => c.Id).ToList();

    /// <summary>Updates the clusters of every partition with enough new memories (at most <see cref="ClusteringOptions.PartitionsPerSweep"/>); returns how many were updated.</summary>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var candidates = await _clusters.GetClusteringCandidatesAsync(Model, _options.MinNewMemories, _options.PartitionsPerSweep, cancellationToken);
        var updated = 0;
        foreach (var candidate in candidates)
        {
            try
            {
                if (await UpdateAsync(candidate.Partition, cancellationToken) != ClusteringOutcome.Nothing)
                {
                    updated++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClusteringLog.Failed(_logger, candidate.Partition.ToString(), ex);
            }
        }

        ClusteringLog.Swept(_logger, updated);
        return updated;
    }

    /// <summary>Assigns a partition's new memories to its clusters, or clusters it from scratch when that is due.</summary>
    public async ValueTask<ClusteringOutcome> UpdateAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        var gate = _running.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await _clusters.GetClustersAsync(partition, cancellationToken);
            if (existing.Count == 0 || existing.Any(c => c.Model != Model))
            {
                return await RebuildCoreAsync(partition, cancellationToken);
            }

            var unclustered = await _clusters.GetUnclusteredAsync(partition, Model, int.MaxValue, cancellationToken);
            var built = existing.Sum(c => c.MembersAtBuild);
            var added = existing.Sum(c => c.Size) - built + unclustered.Count;
            if (added >= _options.RebuildShare * built)
            {
                return await RebuildCoreAsync(partition, cancellationToken);
            }

            if (unclustered.Count == 0)
            {
                return ClusteringOutcome.Nothing;
            }

            var k = existing.Count;
            var d = Model.Dimensions;
            var centroids = new float[k * d];
            var ids = new int[k];
            for (var c = 0; c < k; c++)
            {
                existing[c].Centroid.Span.CopyTo(centroids.AsSpan(c * d, d));
                ids[c] = existing[c].Id;
            }

            var assignments = unclustered
                .Select(e => new ClusterAssignment(e.Id, ids[SphericalKMeans.Nearest(e.Vector.Span, centroids, k).Cluster]))
                .ToList();
            await _clusters.AssignClustersAsync(partition, assignments, cancellationToken);
            ClusteringLog.Assigned(_logger, partition.ToString(), assignments.Count, k);
            return new ClusteringOutcome(false, k, assignments.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Clusters a partition from scratch (nothing happens below <see cref="ClusteringOptions.MinMemories"/> memories).</summary>
    public async ValueTask<ClusteringOutcome> RebuildAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        var gate = _running.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RebuildCoreAsync(partition, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask<ClusteringOutcome> RebuildCoreAsync(MemoryPartition partition, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vectors = await _store.GetVectorsAsync(partition, Model, cancellationToken);
        if (vectors.Count < _options.MinMemories)
        {
            return ClusteringOutcome.Nothing;
        }

        var d = Model.Dimensions;
        var rows = new float[vectors.Count * d];
        for (var i = 0; i < vectors.Count; i++)
        {
            var row = rows.AsSpan(i * d, d);
            vectors[i].Vector.Span.CopyTo(row);
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }

        var k = SphericalKMeans.ChooseK(vectors.Count, _options.MaxClusters);
        var result = SphericalKMeans.Cluster(rows, vectors.Count, d, k);
        var texts = await ReadTextsAsync(partition, vectors.Select(v => v.Id).ToList(), cancellationToken);
        var labels = ClusterLabeler.Label(vectors.Select(v => texts.GetValueOrDefault(v.Id, "")).ToList(), result.Assignment, result.K, _options.LabelWords);
        var sizes = new int[result.K];
        foreach (var c in result.Assignment)
        {
            sizes[c]++;
        }

        var now = _time.GetUtcNow();
        var clusters = Enumerable.Range(0, result.K)
            .Select(c => new MemoryCluster(c, labels[c], sizes[c], sizes[c], Model, result.Centroids.AsMemory(c * d, d).ToArray(), now))
            .ToList();
        var assignments = vectors.Select((v, i) => new ClusterAssignment(v.Id, result.Assignment[i])).ToList();
        await _clusters.ReplaceClustersAsync(partition, clusters, assignments, cancellationToken);
        ClusteringLog.Rebuilt(_logger, partition.ToString(), vectors.Count, result.K, result.Iterations, watch.ElapsedMilliseconds);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            foreach (var cluster in clusters)
            {
                ClusteringLog.ClusterLabel(_logger, cluster.Id, partition.ToString(), cluster.Size, cluster.Label);
            }
        }

        return new ClusteringOutcome(true, result.K, vectors.Count);
    }

    private async Task<Dictionary<long, string>> ReadTextsAsync(MemoryPartition partition, List<long> ids, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<long, string>(ids.Count);
        for (var i = 0; i < ids.Count; i += ReadBatch)
        {
            foreach (var record in await _store.GetAsync(partition, ids.GetRange(i, Math.Min(ReadBatch, ids.Count - i)), cancellationToken))
            {
                texts[record.Id] = record.Text;
            }
        }

        return texts;
    }
}
