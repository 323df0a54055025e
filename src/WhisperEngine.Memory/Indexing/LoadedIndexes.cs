using System.Collections.Concurrent;

namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// In-memory indexes of partitions, loaded from the store on first use (one load shared by every caller) and dropped
/// again when unused for <see cref="MemoryOptions.IndexIdleTimeout"/>, or, least recently used first, when together they
/// hold more than <see cref="MemoryOptions.MaxIndexedMemories"/> memories. A dropped index is loaded again on its next use,
/// so a long-running server's memory follows the people who are talking, not everyone who ever did.
/// </summary>
/// <typeparam name="TKey">What an index is of (a partition, or a partition and a model).</typeparam>
/// <typeparam name="TIndex">The index.</typeparam>
/// <remarks>
/// Thread-safe. A search that holds an index while it is dropped finishes on it; a write to a dropped index is lost
/// with it, and the next load reads the committed row from the store.
/// </remarks>
internal sealed class LoadedIndexes<TKey, TIndex>
    where TKey : notnull
    where TIndex : class
{
    /// <summary>How often, at most, the loaded indexes are checked for idle ones when nothing new is loaded.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<TKey, Slot> _slots = new();
    private readonly Func<TKey, Task<TIndex>> _load;
    private readonly Func<TIndex, long> _size;
    private readonly Action<TIndex>? _release;
    private readonly MemoryOptions _options;
    private readonly TimeProvider _time;
    private long _lastSweep;
    private int _sweeping;

    /// <param name="load">Loads a key's index from the store.</param>
    /// <param name="size">The memories an index holds (what <see cref="MemoryOptions.MaxIndexedMemories"/> counts).</param>
    /// <param name="release">Frees what a dropped index holds outside the managed heap, if anything.</param>
    /// <param name="options">The idle timeout and the budget.</param>
    /// <param name="time">The clock of idleness.</param>
    public LoadedIndexes(Func<TKey, Task<TIndex>> load, Func<TIndex, long> size, Action<TIndex>? release, MemoryOptions options, TimeProvider time)
    {
        _load = load;
        _size = size;
        _release = release;
        _options = options;
        _time = time;
        _lastSweep = time.GetUtcNow().UtcTicks;
    }

    /// <summary>The keys whose index is loaded or loading.</summary>
    public ICollection<TKey> Keys => _slots.Keys;

    public bool Contains(TKey key) => _slots.ContainsKey(key);

    /// <summary>The index of <paramref name="key"/>, loading it the first time (and again after it was dropped).</summary>
    public async ValueTask<TIndex> GetAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var created = false;
        var slot = _slots.GetOrAdd(key, k =>
        {
            created = true;
            return new Slot(new Lazy<Task<TIndex>>(() => _load(k)));
        });
        var now = _time.GetUtcNow().UtcTicks;
        Volatile.Write(ref slot.LastUse, now);
        TIndex index;
        try
        {
            // The load is shared by every caller, so one caller's cancellation does not cancel it.
            index = await slot.Load.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (slot.Load.Value.IsFaulted)
        {
            _slots.TryRemove(new KeyValuePair<TKey, Slot>(key, slot));
            throw;
        }

        if (created || now - Volatile.Read(ref _lastSweep) >= SweepInterval.Ticks)
        {
            Sweep(keep: key);
        }

        return index;
    }

    /// <summary>Drops the indexes whose key matches; returns how many were loaded or loading.</summary>
    public int RemoveWhere(Func<TKey, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return _slots.Keys.Where(match).ToList().Count(Remove);
    }

    /// <summary>Drops the index of <paramref name="key"/>; true when one was loaded or loading.</summary>
    public bool Remove(TKey key)
    {
        if (!_slots.TryRemove(key, out var slot))
        {
            return false;
        }

        Release(slot);
        return true;
    }

    /// <summary>
    /// Drops the indexes unused for the idle timeout, then, while the loaded ones hold more memories than the budget,
    /// the least recently used (never <paramref name="keep"/>, the one just asked for). Returns how many were dropped.
    /// </summary>
    public int Sweep(TKey? keep = default)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return 0;
        }

        try
        {
            var now = _time.GetUtcNow().UtcTicks;
            Volatile.Write(ref _lastSweep, now);
            var dropped = 0;
            var loaded = new List<(TKey Key, Slot Slot, long LastUse, long Size)>();
            foreach (var (key, slot) in _slots)
            {
                if (!slot.Load.IsValueCreated || !slot.Load.Value.IsCompletedSuccessfully)
                {
                    continue;
                }

                var lastUse = Volatile.Read(ref slot.LastUse);
                var isKept = keep is not null && EqualityComparer<TKey>.Default.Equals(key, keep);
                if (!isKept && _options.IndexIdleTimeout > TimeSpan.Zero && now - lastUse >= _options.IndexIdleTimeout.Ticks)
                {
                    dropped += Drop(key, slot);
                    continue;
                }

                loaded.Add((key, slot, isKept ? long.MaxValue : lastUse, _size(slot.Load.Value.Result)));
            }

            var total = loaded.Sum(l => l.Size);
            if (_options.MaxIndexedMemories > 0 && total > _options.MaxIndexedMemories)
            {
                foreach (var (key, slot, lastUse, size) in loaded.OrderBy(l => l.LastUse))
                {
                    if (total <= _options.MaxIndexedMemories || lastUse == long.MaxValue)
                    {
                        break;
                    }

                    dropped += Drop(key, slot);
                    total -= size;
                }
            }

            return dropped;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private int Drop(TKey key, Slot slot)
    {
        if (!_slots.TryRemove(new KeyValuePair<TKey, Slot>(key, slot)))
        {
            return 0;
        }

        Release(slot);
        return 1;
    }

    private void Release(Slot slot)
    {
        if (_release is not null && slot.Load.IsValueCreated && slot.Load.Value.IsCompletedSuccessfully)
        {
            _release(slot.Load.Value.Result);
        }
    }

    private sealed class Slot(Lazy<Task<TIndex>> load)
    {
        public readonly Lazy<Task<TIndex>> Load = load;
        public long LastUse;
    }
}
