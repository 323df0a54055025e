using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Coordination;
using WhisperEngine.Memory.Indexing;
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
/// idempotent, replacements read the stored row), so a load never misses a committed memory. Indexes unused for
/// <see cref="MemoryOptions.IndexIdleTimeout"/>, or beyond <see cref="MemoryOptions.MaxIndexedMemories"/>, are dropped
/// and loaded again on next use, as the vector indexes are.
/// <para>
/// Several processes on one store: the vector indexes' peer messages (<see cref="VectorIndexRegistry.PeerTopic"/>) name
/// the memories another process stored, which are read from the store and added here; an erasure drops the partition,
/// and a resynchronisation drops every index. The reply another process gave to a memory reaches this process's index
/// when the partition is next loaded.
/// </para>
/// </remarks>
public sealed class KeywordIndexRegistry : IDisposable
{
    private readonly IMemoryCatalog _catalog;
    private readonly IMemoryStore _store;
    private readonly MemoryOptions _options;
    private readonly ILogger _logger;
    private readonly LoadedIndexes<MemoryPartition, KeywordIndex> _indexes;
    private readonly IDisposable _subscription;

    /// <param name="catalog">Reads a partition's memories for a load.</param>
    /// <param name="store">Reads memories a write changed.</param>
    /// <param name="options">Speaker names as keywords; the idle timeout and budget of loaded indexes.</param>
    /// <param name="logger">Loads.</param>
    /// <param name="peers">The other processes on the same store (none by default).</param>
    /// <param name="time">The clock of idleness.</param>
    public KeywordIndexRegistry(IMemoryCatalog catalog, IMemoryStore store, MemoryOptions options, ILogger<KeywordIndexRegistry> logger,
        IPeerSignals? peers = null, TimeProvider? time = null)
    {
        _catalog = catalog;
        _store = store;
        _options = options;
        _logger = logger;
        _indexes = new(LoadAsync, index => index.Count, null, options, time ?? TimeProvider.System);
        _subscription = (peers ?? NoPeerSignals.Instance).Subscribe(VectorIndexRegistry.PeerTopic, OnPeerMessage, DropAll);
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

    internal ValueTask<KeywordIndex> GetAsync(MemoryPartition partition, CancellationToken cancellationToken = default) =>
        _indexes.GetAsync(partition, cancellationToken);

    /// <summary>
    /// Adds newly stored memories to their partitions' indexes if loaded or loading, and gives the memories they answer
    /// (<paramref name="answered"/>: ids of the same partitions, whose stored reply the write changed) their new words.
    /// </summary>
    public async ValueTask OnStoredAsync(IReadOnlyList<MemoryRecord> records, IReadOnlyCollection<long>? answered = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var group in records.GroupBy(r => r.Partition))
        {
            if (!_indexes.Contains(group.Key))
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
    public void Evict(MemoryPartition partition) => _indexes.Remove(partition);

    public void Dispose() => _subscription.Dispose();

    private void DropAll() => _indexes.RemoveWhere(_ => true);

    /// <summary>Another process stored memories (read them from the store into a loaded index) or erased a partition.</summary>
    private void OnPeerMessage(string message)
    {
        if (IndexChange.Read(message, _logger) is not { } change)
        {
            return;
        }

        var partition = change.Partition;
        if (change.IsErasure)
        {
            _indexes.Remove(partition);
        }
        else if (_indexes.Contains(partition))
        {
            _ = AddFromStoreAsync(partition, change.Entries!.Select(e => e.Id).ToList());
        }
    }

    private async Task AddFromStoreAsync(MemoryPartition partition, IReadOnlyCollection<long> ids)
    {
        try
        {
            var index = await GetAsync(partition, CancellationToken.None);
            index.Add(await _store.GetAsync(partition, ids, CancellationToken.None));
        }
        catch (Exception ex)
        {
            // The index is dropped: the next search loads it from the store, with these memories.
            _indexes.Remove(partition);
            MemoryLog.PeerSignalFailed(_logger, ex);
        }
    }

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
