using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// The in-memory keyword indexes, one per partition, the way <see cref="Indexing.VectorIndexRegistry"/> keeps vectors:
/// loaded from the store on first use (<see cref="IMemoryCatalog.ListAsync"/>) and kept in sync by
/// <see cref="Writing.MemoryWriter"/> (new memories, the replies they give to earlier ones, forgetting) and the erasure
/// of a person's data. The same ranking for every backend; <see cref="MemoryOptions.KeywordIndex"/> chooses it or the
/// store's own full-text search.
/// </summary>
/// <remarks>
/// Thread-safe. A write that lands while its partition is loading is applied after the load completes (adds are
/// idempotent, replacements read the stored row), so a load never misses a committed memory.
/// </remarks>
public sealed class KeywordIndexRegistry
{
    private readonly IMemoryCatalog _catalog;
    private readonly IMemoryStore _store;
    private readonly MemoryOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MemoryPartition, Lazy<Task<KeywordIndex>>> _indexes = new();

    public KeywordIndexRegistry(IMemoryCatalog catalog, IMemoryStore store, MemoryOptions options, ILogger<KeywordIndexRegistry> logger)
    {
        _catalog = catalog;
        _store = store;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Full-text search within what <paramref name="scope"/> allows, best first, with the contract of
    /// <see cref="IMemoryStore.KeywordSearchAsync"/>; loads the partition's index the first time.
    /// </summary>
    public async ValueTask<IReadOnlyList<KeywordHit>> SearchAsync(RecallScope scope, string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        var index = await GetAsync(scope.Partition, cancellationToken);
        return index.Search(scope, query, limit, _options.SpeakerNamesAsKeywords);
    }

    /// <summary>Live memories in the loaded index of a partition (loading it), and the bytes the index holds.</summary>
    public async ValueTask<(int Memories, long Bytes)> MeasureAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        var index = await GetAsync(partition, cancellationToken);
        return (index.Count, index.Bytes);
    }

    internal async ValueTask<KeywordIndex> GetAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        var lazy = _indexes.GetOrAdd(partition, p => new Lazy<Task<KeywordIndex>>(() => LoadAsync(p)));
        try
        {
            // The load is shared by every caller, so one caller's cancellation does not cancel it.
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _indexes.TryRemove(new KeyValuePair<MemoryPartition, Lazy<Task<KeywordIndex>>>(partition, lazy));
            throw;
        }
    }

    /// <summary>
    /// Adds newly stored memories to their partitions' indexes if loaded or loading, and gives the memories they answer
    /// (<paramref name="answered"/>: ids of the same partitions, whose stored reply the write changed) their new words.
    /// </summary>
    public async ValueTask OnStoredAsync(IReadOnlyList<MemoryRecord> records, IReadOnlyCollection<long>? answered = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var group in records.GroupBy(r => r.Partition))
        {
            if (!_indexes.ContainsKey(group.Key))
            {
                // Not loaded: a later load reads the committed rows from the store.
                continue;
            }

            var index = await GetAsync(group.Key, cancellationToken);
            index.Add(group);
            if (answered is { Count: > 0 })
            {
                // The store holds the reply as it wrote it; reading it back keeps one definition of the indexed words.
                var changed = await _store.GetAsync(group.Key, answered, cancellationToken);
                index.Add(changed, replace: true);
            }
        }
    }

    /// <summary>Forgets the index of a partition (after its memories were deleted), releasing what it holds.</summary>
    public void Evict(MemoryPartition partition) => _indexes.TryRemove(partition, out _);

    private async Task<KeywordIndex> LoadAsync(MemoryPartition partition)
    {
        var records = await _catalog.ListAsync(partition, int.MaxValue, CancellationToken.None);
        var index = new KeywordIndex(partition);
        index.Add(records.OrderBy(r => r.Id));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            MemoryLog.KeywordIndexLoaded(_logger, partition.ToString(), index.Count, index.Bytes);
        }

        return index;
    }
}
