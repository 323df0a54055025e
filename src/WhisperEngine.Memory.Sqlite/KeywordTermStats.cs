using System.Collections.Concurrent;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>
/// What the keyword search knows of one partition to choose the words worth searching: its size and, per query word,
/// how many of its memories hold it. Estimates, not bookkeeping: they only decide which words a large partition's
/// search leaves out, so they are taken on first use and taken again once the partition has grown by a tenth.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class KeywordTermStats
{
    private const int MaxTerms = 10_000;
    private readonly ConcurrentDictionary<string, long> _documentFrequency = new(StringComparer.Ordinal);
    private int _written;

    public KeywordTermStats(long size) => Size = size;

    /// <summary>Memories in the partition when the statistics were started.</summary>
    public long Size { get; }

    /// <summary>True once the partition has grown enough since <see cref="Size"/> was counted to count again.</summary>
    public bool IsStale => Volatile.Read(ref _written) > Math.Max(100, Size / 10);

    /// <summary>Notes memories written into the partition.</summary>
    public void OnWritten(int count) => Interlocked.Add(ref _written, count);

    public bool TryGet(string term, out long memories) => _documentFrequency.TryGetValue(term, out memories);

    public void Set(string term, long memories)
    {
        if (_documentFrequency.Count >= MaxTerms)
        {
            _documentFrequency.Clear();
        }

        _documentFrequency[term] = memories;
    }
}
