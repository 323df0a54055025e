using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Coordination;
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
/// <para>
/// Several processes sharing one store (the multi-bot tier behind a load balancer) each hold their own indexes. Each
/// tells the others through <see cref="IPeerSignals"/> what it stored (with the vectors) and which partitions it
/// erased, and applies what it hears; when messages may have been lost it drops every loaded index, to be reloaded from
/// the store on next use. So a memory written by one process is found by the others, and an erased person's vectors
/// leave every process's memory.
/// </para>
/// </remarks>
public sealed class VectorIndexRegistry : IDisposable
{
    /// <summary>The peer-signal topic of index changes.</summary>
    public const string PeerTopic = "memory-index";

    private readonly IMemoryStore _store;
    private readonly IVectorIndexFactory _factory;
    private readonly ILogger _logger;
    private readonly IPeerSignals _peers;
    private readonly IDisposable _subscription;
    private readonly LoadedIndexes<(MemoryPartition Partition, EmbeddingModelId Model), IVectorIndex> _indexes;

    /// <param name="store">Where the vectors are.</param>
    /// <param name="factory">Makes the index of a partition.</param>
    /// <param name="logger">Loads and drops.</param>
    /// <param name="peers">The other processes on the same store (none by default).</param>
    /// <param name="options">When loaded indexes are dropped again (<see cref="MemoryOptions.IndexIdleTimeout"/>, <see cref="MemoryOptions.MaxIndexedMemories"/>).</param>
    /// <param name="time">The clock of idleness.</param>
    public VectorIndexRegistry(IMemoryStore store, IVectorIndexFactory factory, ILogger<VectorIndexRegistry> logger, IPeerSignals? peers = null,
        MemoryOptions? options = null, TimeProvider? time = null)
    {
        _store = store;
        _factory = factory;
        _logger = logger;
        _peers = peers ?? NoPeerSignals.Instance;
        _indexes = new(k => LoadAsync(k.Partition, k.Model), index => index.Count, index => (index as IDisposable)?.Dispose(),
            options ?? new MemoryOptions(), time ?? TimeProvider.System);
        _subscription = _peers.Subscribe(PeerTopic, OnPeerMessage, EvictAll);
    }

    /// <summary>Whether any index of <paramref name="partition"/> is loaded or loading in this process.</summary>
    public bool IsLoaded(MemoryPartition partition) => _indexes.Keys.Any(k => k.Partition == partition);

    /// <summary>
    /// Returns the index of a partition for a model, loading it from the store the first time (and again after it was
    /// dropped for idleness or the memory budget).
    /// </summary>
    public ValueTask<IVectorIndex> GetAsync(MemoryPartition partition, EmbeddingModelId model, CancellationToken cancellationToken = default) =>
        _indexes.GetAsync((partition, model), cancellationToken);

    /// <summary>Drops the indexes unused for <see cref="MemoryOptions.IndexIdleTimeout"/> now, rather than at the next use of any; returns how many.</summary>
    public int DropIdle() => _indexes.Sweep();

    /// <summary>
    /// Adds a newly stored (committed) vector to its partition's index if that index is loaded or loading, and tells the
    /// other processes.
    /// </summary>
    public async ValueTask OnStoredAsync(MemoryPartition partition, EmbeddingModelId model, MemoryVectorEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await UpsertAsync(partition, model, [entry], cancellationToken);
        if (_peers is not NoPeerSignals)
        {
            var change = new IndexChange(partition.TenantId, partition.BotId, partition.UserId, model.Model, model.Dimensions,
                [new IndexChangeEntry(entry.Id, entry.ChannelId, (int)entry.Privacy, entry.Vector.ToArray())]);
            await _peers.PublishAsync(PeerTopic, change.Write(), cancellationToken);
        }
    }

    private async ValueTask UpsertAsync(MemoryPartition partition, EmbeddingModelId model, IReadOnlyList<MemoryVectorEntry> entries, CancellationToken cancellationToken)
    {
        if (!_indexes.Contains((partition, model)))
        {
            // Not loaded: a later load reads the committed row from the store.
            return;
        }

        var index = await GetAsync(partition, model, cancellationToken);
        index.UpsertRange(entries);
    }

    /// <summary>
    /// Forgets the indexes of a partition (after its memories were deleted), releasing what they hold, here and in the
    /// other processes.
    /// </summary>
    public void Evict(MemoryPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        Drop(partition);
        if (_peers is not NoPeerSignals)
        {
            _ = PublishQuietlyAsync(IndexChange.Erased(partition).Write());
        }
    }

    /// <summary>Forgets every loaded index: each is reloaded from the store on next use.</summary>
    public void EvictAll() => MemoryLog.IndexesResynchronised(_logger, _indexes.RemoveWhere(_ => true));

    public void Dispose() => _subscription.Dispose();

    private async Task PublishQuietlyAsync(string message)
    {
        try
        {
            await _peers.PublishAsync(PeerTopic, message);
        }
        catch (Exception ex)
        {
            MemoryLog.PeerSignalFailed(_logger, ex);
        }
    }

    /// <summary>Applies another process's change: its stored vectors to the indexes loaded here, or its erasure.</summary>
    private void OnPeerMessage(string message)
    {
        if (IndexChange.Read(message, _logger) is not { } change)
        {
            return;
        }

        var partition = change.Partition;
        if (change.IsErasure)
        {
            Drop(partition);
            return;
        }

        var model = new EmbeddingModelId(change.Model!, change.Dimensions);
        var entries = change.Entries!
            .Where(e => e.Vector.Length == change.Dimensions)
            .Select(e => new MemoryVectorEntry(e.Id, e.Channel, (PrivacyLevel)e.Privacy, e.Vector))
            .ToList();
        _ = ApplyQuietlyAsync(partition, model, entries);
    }

    private async Task ApplyQuietlyAsync(MemoryPartition partition, EmbeddingModelId model, IReadOnlyList<MemoryVectorEntry> entries)
    {
        try
        {
            await UpsertAsync(partition, model, entries, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The index failed to load: the next search loads it again, from the store, with this memory.
            MemoryLog.PeerSignalFailed(_logger, ex);
        }
    }

    private void Drop(MemoryPartition partition) => _indexes.RemoveWhere(k => k.Partition == partition);

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
