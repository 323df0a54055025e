using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// The in-memory vector indexes, one per partition and model, loaded from the store on first use and kept in sync
/// by <see cref="Writing.MemoryWriter"/>. Vectors of another model stay in the store, out of the index, and are
/// reported when the partition loads.
/// </summary>
/// <remarks>
/// Thread-safe. A write that lands while its partition is loading is added after the load completes (adds are
/// idempotent), so a load never misses a committed memory.
/// </remarks>
public sealed class VectorIndexRegistry
{
    private readonly IMemoryStore _store;
    private readonly IVectorIndexFactory _factory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(MemoryPartition Partition, EmbeddingModelId Model), Lazy<Task<IVectorIndex>>> _indexes = new();

    public VectorIndexRegistry(IMemoryStore store, IVectorIndexFactory factory, ILogger<VectorIndexRegistry> logger)
    {
        _store = store;
        _factory = factory;
        _logger = logger;
    }

    /// <summary>Returns the index of a partition for a model, loading it from the store the first time.</summary>
    public async ValueTask<IVectorIndex> GetAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default)
    {
        var key = (partition, model);
        var lazy = _indexes.GetOrAdd(key, k => new Lazy<Task<IVectorIndex>>(() => LoadAsync(k.Partition, k.Model)));
        try
        {
            // The load is shared by every caller, so one caller's cancellation does not cancel it.
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _indexes.TryRemove(new KeyValuePair<(MemoryPartition, EmbeddingModelId), Lazy<Task<IVectorIndex>>>(key, lazy));
            throw;
        }
    }

    /// <summary>Adds a newly stored vector to its partition's index if that index is loaded or loading.</summary>
    public async ValueTask OnStoredAsync(MemoryPartition partition, EmbeddingModelId model, MemoryVectorEntry entry, CancellationToken cancellationToken = default)
    {
        if (!_indexes.ContainsKey((partition, model)))
        {
            // Not loaded: a later load reads the committed row from the store.
            return;
        }

        var index = await GetAsync(partition, model, cancellationToken);
        index.Upsert(entry);
    }

    /// <summary>Forgets the indexes of a partition (after its memories were deleted), releasing what they hold.</summary>
    public void Evict(MemoryPartition partition)
    {
        foreach (var key in _indexes.Keys)
        {
            if (key.Partition == partition && _indexes.TryRemove(key, out var lazy)
                && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private async Task<IVectorIndex> LoadAsync(MemoryPartition partition, EmbeddingModelId model)
    {
        var entries = await _store.GetVectorsAsync(partition, model, CancellationToken.None);
        var index = _factory.Create(partition, model.Dimensions, entries.Count);
        index.UpsertRange(entries);

        var inventory = await _store.GetEmbeddingInventoryAsync(partition, CancellationToken.None);
        var stale = inventory.Where(i => i.Model != model).Sum(i => i.Count);
        if (stale > 0)
        {
            var models = string.Join(", ", inventory.Where(i => i.Model != model).Select(i => $"{i.Model?.ToString() ?? "none"}: {i.Count}"));
            MemoryLog.StaleEmbeddings(_logger, partition.ToString(), stale, model.ToString(), models);
        }

        MemoryLog.IndexLoaded(_logger, partition.ToString(), entries.Count, model.ToString());
        return index;
    }
}
