using System.Numerics.Tensors;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Indexing;

/// <summary>
/// Exact cosine search: every vector is kept normalised in one contiguous array and a query is a SIMD dot product
/// against each row (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>) with a bounded
/// heap for the top k. Top 10 of 10,000 vectors of 384 dimensions takes about 0.35 ms on one core
/// (<c>bench/WhisperEngine.Benchmarks/Memory/ExactVectorIndexBenchmarks.cs</c>).
/// </summary>
/// <remarks>Thread-safe: searches share a read lock; upserts and removals take the write lock.</remarks>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, int> _slots = [];
    private float[] _vectors;
    private long[] _ids;
    private string[] _channels;
    private PrivacyLevel[] _privacy;
    private readonly int[] _privacyCounts = new int[3];
    private int _count;

    public ExactVectorIndex(int dimensions, int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        capacity = Math.Max(capacity, 16);
        _vectors = new float[capacity * dimensions];
        _ids = new long[capacity];
        _channels = new string[capacity];
        _privacy = new PrivacyLevel[capacity];
    }

    public int Dimensions { get; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public void Upsert(MemoryVectorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Vector.Length != Dimensions)
        {
            throw new ArgumentException($"Vector of memory {entry.Id} has {entry.Vector.Length} dimensions; this index holds {Dimensions}.", nameof(entry));
        }

        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(entry.Id, out var slot))
            {
                if (_count == _ids.Length)
                {
                    Grow();
                }

                slot = _count++;
                _slots[entry.Id] = slot;
            }
            else
            {
                _privacyCounts[(int)_privacy[slot]]--;
            }

            var row = _vectors.AsSpan(slot * Dimensions, Dimensions);
            entry.Vector.Span.CopyTo(row);
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }

            _ids[slot] = entry.Id;
            _channels[slot] = entry.ChannelId;
            _privacy[slot] = entry.Privacy;
            _privacyCounts[(int)entry.Privacy]++;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(id, out var slot))
            {
                return false;
            }

            _privacyCounts[(int)_privacy[slot]]--;

            // Keep rows contiguous: the last row moves into the hole.
            var last = --_count;
            if (slot != last)
            {
                _vectors.AsSpan(last * Dimensions, Dimensions).CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
                _ids[slot] = _ids[last];
                _channels[slot] = _channels[last];
                _privacy[slot] = _privacy[last];
                _slots[_ids[slot]] = slot;
            }

            _channels[last] = null!;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, RecallScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"Query has {query.Length} dimensions; this index holds {Dimensions}.", nameof(query));
        }

        if (k <= 0)
        {
            return [];
        }

        // Normalising the query does not change the order, but it makes the scores cosine similarities.
        var queryNorm = TensorPrimitives.Norm(query);
        var scale = queryNorm > 0 ? 1f / queryNorm : 0f;
        var heap = new PriorityQueue<long, float>(Math.Min(k, 1024) + 1);
        _lock.EnterReadLock();
        try
        {
            for (var i = 0; i < _count; i++)
            {
                if (!scope.Allows(_privacy[i], _channels[i]))
                {
                    continue;
                }

                var score = TensorPrimitives.Dot(query, _vectors.AsSpan(i * Dimensions, Dimensions)) * scale;
                if (heap.Count < k)
                {
                    heap.Enqueue(_ids[i], score);
                }
                else if (heap.TryPeek(out _, out var worst) && score > worst)
                {
                    heap.DequeueEnqueue(_ids[i], score);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var hits = new VectorHit[heap.Count];
        for (var i = hits.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var id, out var score);
            hits[i] = new VectorHit(id, score);
        }

        return hits;
    }

    public float? Similarity(long a, long b)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_slots.TryGetValue(a, out var sa) || !_slots.TryGetValue(b, out var sb))
            {
                return null;
            }

            return TensorPrimitives.Dot(_vectors.AsSpan(sa * Dimensions, Dimensions), _vectors.AsSpan(sb * Dimensions, Dimensions));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// How many held vectors <paramref name="scope"/> may see at most: all in a direct message; public ones, plus private
    /// ones of any channel in a private channel; public ones in a public channel.
    /// </summary>
    internal int AllowedUpperBound(RecallScope scope)
    {
        _lock.EnterReadLock();
        try
        {
            return scope.Privacy switch
            {
                PrivacyLevel.DirectMessage => _count,
                PrivacyLevel.PrivateChannel => _privacyCounts[(int)PrivacyLevel.PublicChannel] + _privacyCounts[(int)PrivacyLevel.PrivateChannel],
                _ => _privacyCounts[(int)PrivacyLevel.PublicChannel],
            };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Adds to <paramref name="hits"/> the exact cosine similarity of each candidate that is held and that
    /// <paramref name="scope"/> allows (an approximate index re-scores and filters its candidates here).
    /// </summary>
    internal void ScoreCandidates(ReadOnlySpan<float> query, ReadOnlySpan<ulong> candidates, RecallScope scope, List<VectorHit> hits)
    {
        var queryNorm = TensorPrimitives.Norm(query);
        var scale = queryNorm > 0 ? 1f / queryNorm : 0f;
        _lock.EnterReadLock();
        try
        {
            foreach (var candidate in candidates)
            {
                var id = (long)candidate;
                if (_slots.TryGetValue(id, out var slot) && scope.Allows(_privacy[slot], _channels[slot]))
                {
                    hits.Add(new VectorHit(id, TensorPrimitives.Dot(query, _vectors.AsSpan(slot * Dimensions, Dimensions)) * scale));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The ids held now, in slot order.</summary>
    internal long[] SnapshotIds()
    {
        _lock.EnterReadLock();
        try
        {
            return _ids.AsSpan(0, _count).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Copies the (normalised) vector of <paramref name="id"/>; false when it is not held.</summary>
    internal bool TryCopyVector(long id, Span<float> destination)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_slots.TryGetValue(id, out var slot))
            {
                return false;
            }

            _vectors.AsSpan(slot * Dimensions, Dimensions).CopyTo(destination);
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Grow()
    {
        var capacity = _ids.Length * 2;
        Array.Resize(ref _vectors, capacity * Dimensions);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _channels, capacity);
        Array.Resize(ref _privacy, capacity);
    }
}
