namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// The memories holding one term in their text, context or reply: document numbers in ascending order with the term's
/// weighted frequency in each, how many of them are live, and what bounds the term's score in any of them.
/// </summary>
/// <remarks>Not thread-safe: <see cref="KeywordIndex"/> guards it.</remarks>
internal sealed class KeywordPostings
{
    private const int InitialCapacity = 4;

    public int[] Documents { get; private set; } = new int[InitialCapacity];

    public float[] Frequencies { get; private set; } = new float[InitialCapacity];

    /// <summary>Entries in <see cref="Documents"/>, also those of replaced memories not yet compacted away.</summary>
    public int Count { get; private set; }

    /// <summary>Live memories holding the term (its document frequency).</summary>
    public int Live { get; set; }

    /// <summary>The largest weighted frequency of any entry (kept when an entry goes: still an upper bound).</summary>
    public float MaxFrequency { get; private set; }

    /// <summary>The shortest memory (in tokens) of any entry (kept when an entry goes: still a lower bound).</summary>
    public int MinLength { get; private set; } = int.MaxValue;

    public void Add(int document, float frequency, int length)
    {
        if (Count == Documents.Length)
        {
            var capacity = Count * 2;
            var documents = Documents;
            var frequencies = Frequencies;
            Array.Resize(ref documents, capacity);
            Array.Resize(ref frequencies, capacity);
            (Documents, Frequencies) = (documents, frequencies);
        }

        Documents[Count] = document;
        Frequencies[Count] = frequency;
        Count++;
        Live++;
        MaxFrequency = Math.Max(MaxFrequency, frequency);
        MinLength = Math.Min(MinLength, length);
    }

    /// <summary>Drops the entries of documents that are no longer live; returns how many went.</summary>
    public int Compact(Func<int, bool> isLive)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            if (isLive(Documents[i]))
            {
                Documents[kept] = Documents[i];
                Frequencies[kept] = Frequencies[i];
                kept++;
            }
        }

        var dropped = Count - kept;
        Count = kept;
        if (Documents.Length > InitialCapacity && kept < Documents.Length / 4)
        {
            var capacity = Math.Max(InitialCapacity, kept * 2);
            var documents = Documents;
            var frequencies = Frequencies;
            Array.Resize(ref documents, capacity);
            Array.Resize(ref frequencies, capacity);
            (Documents, Frequencies) = (documents, frequencies);
        }

        return dropped;
    }

    /// <summary>The first position at or after <paramref name="from"/> whose document is at least <paramref name="document"/> (galloping, then binary search).</summary>
    public int Seek(int from, int document)
    {
        var docs = Documents;
        var count = Count;
        if (from >= count || docs[from] >= document)
        {
            return from;
        }

        var step = 1;
        var low = from;
        var high = from + 1;
        while (high < count && docs[high] < document)
        {
            low = high;
            step <<= 1;
            high = from + step;
        }

        high = Math.Min(high, count);
        // docs[low] < document; the answer lies in (low, high].
        var lo = low + 1;
        var hi = high;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (docs[mid] < document)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Bytes held by the arrays.</summary>
    public long Bytes => (Documents.Length * sizeof(int)) + (Frequencies.Length * sizeof(float)) + 64;
}
