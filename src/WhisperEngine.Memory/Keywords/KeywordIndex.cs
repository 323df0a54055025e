using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// The keyword index of one partition in memory: per term, the memories holding it in their text, context or reply
/// (posting lists in the order memories were added), the speakers' names apart, and per memory what the privacy rule
/// and BM25's length normalisation need. Searched by <see cref="Search"/>; see <see cref="KeywordIndexRegistry"/>.
/// </summary>
/// <remarks>
/// Thread-safe: searches share a read lock, writes take the write lock (the lock is not disposed: a search may still
/// hold an index its partition has just dropped). A memory whose indexed words change (it gains
/// a reply) is added again under a new document number; the old entries are skipped and compacted away in bulk.
/// </remarks>
internal sealed partial class KeywordIndex
{
    private const byte Removed = 0xFF;
    private const int InitialDocuments = 64;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<KeywordPostings> _postings = [];
    private readonly Dictionary<string, int> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _speakerIds = new(StringComparer.Ordinal);
    private readonly List<KeywordSpeaker> _speakers = [];
    private readonly HashSet<string> _speakerWords = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _documentOf = [];

    // Per document number: the memory, its length in tokens, privacy (Removed once replaced), channel, speaker, terms.
    private long[] _ids = new long[InitialDocuments];
    private int[] _lengths = new int[InitialDocuments];
    private byte[] _privacy = new byte[InitialDocuments];
    private int[] _channelOf = new int[InitialDocuments];
    private int[] _speakerOf = new int[InitialDocuments];
    private int[][] _termsOf = new int[InitialDocuments][];
    private int _documents;
    private int _live;
    private long _totalLength;
    private long _deadEntries;
    private long _liveEntries;

    // Scratch of the write path (under the write lock).
    private readonly Dictionary<string, float> _frequencies = new(StringComparer.Ordinal);

    public KeywordIndex(MemoryPartition partition) => Partition = partition;

    public MemoryPartition Partition { get; }

    /// <summary>Live memories in the index.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _live;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Adds memories of the partition; a memory already in the index is replaced when <paramref name="replace"/> is set
    /// (its reply changed) and left alone otherwise (a load and a write may both bring it).
    /// </summary>
    public void Add(IEnumerable<MemoryRecord> records, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        _lock.EnterWriteLock();
        try
        {
            foreach (var record in records)
            {
                if (record.Partition != Partition)
                {
                    throw new ArgumentException($"Memory {record.Id} belongs to {record.Partition}, not to {Partition}.", nameof(records));
                }

                if (_documentOf.TryGetValue(record.Id, out var existing))
                {
                    if (!replace)
                    {
                        continue;
                    }

                    Remove(existing);
                }

                AddDocument(record);
            }

            if (_deadEntries > 1024 && _deadEntries > _liveEntries / 2)
            {
                Compact();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void AddDocument(MemoryRecord record)
    {
        var document = _documents;
        if (document == _ids.Length)
        {
            var capacity = document * 2;
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _lengths, capacity);
            Array.Resize(ref _privacy, capacity);
            Array.Resize(ref _channelOf, capacity);
            Array.Resize(ref _speakerOf, capacity);
            Array.Resize(ref _termsOf, capacity);
        }

        _frequencies.Clear();
        var length = 1; // FTS5 counts the partition's own token of each row.
        length += AddTerms(record.Text, KeywordWeights.Text);
        length += AddTerms(record.Context, KeywordWeights.Context);
        length += AddTerms(record.Reply, KeywordWeights.Reply);
        var speaker = SpeakerId(record.Speaker);
        length += _speakers[speaker].Tokens;
        _speakers[speaker].Live++;

        var terms = new int[_frequencies.Count];
        var t = 0;
        foreach (var (term, frequency) in _frequencies)
        {
            if (!_termIds.TryGetValue(term, out var id))
            {
                id = _postings.Count;
                _termIds.Add(term, id);
                _postings.Add(new KeywordPostings());
            }

            _postings[id].Add(document, frequency, length);
            terms[t++] = id;
        }

        if (!_channels.TryGetValue(record.ChannelId, out var channel))
        {
            channel = _channels.Count;
            _channels.Add(record.ChannelId, channel);
        }

        _ids[document] = record.Id;
        _lengths[document] = length;
        _privacy[document] = (byte)record.Privacy;
        _channelOf[document] = channel;
        _speakerOf[document] = speaker;
        _termsOf[document] = terms;
        _documentOf[record.Id] = document;
        _documents++;
        _live++;
        _totalLength += length;
        _liveEntries += terms.Length;
    }

    private int AddTerms(string? text, float weight) =>
        KeywordTokenizer.Tokenize(text, (_frequencies, weight), static (s, term) =>
            s._frequencies[term] = s._frequencies.GetValueOrDefault(term) + s.weight);

    private int SpeakerId(string speaker)
    {
        if (_speakerIds.TryGetValue(speaker, out var id))
        {
            return id;
        }

        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = KeywordTokenizer.Tokenize(speaker, frequencies, static (f, term) => f[term] = f.GetValueOrDefault(term) + 1);
        id = _speakers.Count;
        _speakers.Add(new KeywordSpeaker(frequencies, tokens));
        _speakerIds.Add(speaker, id);
        _speakerWords.UnionWith(KeywordTerms.Extract(speaker));
        return id;
    }

    private void Remove(int document)
    {
        foreach (var term in _termsOf[document])
        {
            _postings[term].Live--;
        }

        _speakers[_speakerOf[document]].Live--;
        _deadEntries += _termsOf[document].Length;
        _liveEntries -= _termsOf[document].Length;
        _termsOf[document] = [];
        _privacy[document] = Removed;
        _live--;
        _totalLength -= _lengths[document];
        _documentOf.Remove(_ids[document]);
    }

    private void Compact()
    {
        foreach (var postings in _postings)
        {
            postings.Compact(d => _privacy[d] != Removed);
        }

        _deadEntries = 0;
    }

    /// <summary>Approximate bytes held by the index (arrays and dictionaries, not the strings they share with nothing else).</summary>
    public long Bytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                long bytes = (long)_ids.Length * (sizeof(long) + sizeof(int) + sizeof(byte) + sizeof(int) + sizeof(int) + 8);
                for (var d = 0; d < _documents; d++)
                {
                    bytes += 24 + (_termsOf[d].Length * sizeof(int));
                }

                foreach (var (term, _) in _termIds)
                {
                    bytes += 24 + 22 + (term.Length * 2); // dictionary entry and the string
                }

                foreach (var postings in _postings)
                {
                    bytes += postings.Bytes;
                }

                bytes += _documentOf.Count * 24L;
                return bytes;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

}
