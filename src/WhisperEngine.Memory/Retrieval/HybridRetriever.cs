using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Hybrid retrieval: the query's embedding against the partition's vector index and its words against the keyword
/// index (in memory, <see cref="Keywords.KeywordIndexRegistry"/>, or the store's), each yielding
/// <see cref="MemoryOptions.CandidatePool"/> candidates within the privacy scope; the two rankings are fused by reciprocal rank, then nudged by small boosts: a time the query names
/// (<see cref="TemporalExpressions"/>), a speaker it names, importance, recency of use, and how often a memory was
/// recalled. Near-duplicates are dropped and the result is cut to the query's count and token budget.
/// </summary>
/// <remarks>Thread-safe. Reads only.</remarks>
public sealed class HybridRetriever : IMemoryRetriever
{
    /// <summary>The most candidates taken from each ranking, however many results a query allows.</summary>
    public const int MaxPool = 1000;

    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly VectorIndexRegistry _indexes;
    private readonly MemoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Keywords.KeywordIndexRegistry? _keywords;

    /// <summary>The retriever; <paramref name="keywords"/> (the in-memory keyword indexes) are searched when <see cref="MemoryOptions.KeywordIndex"/> says so, else the store searches.</summary>
    public HybridRetriever(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, VectorIndexRegistry indexes,
        MemoryOptions options, TimeProvider time, ILogger<HybridRetriever> logger, Keywords.KeywordIndexRegistry? keywords = null)
    {
        _keywords = options.KeywordIndex == Keywords.KeywordIndexMode.Memory ? keywords : null;
        _store = store;
        _embedder = embedder;
        _indexes = indexes;
        _options = options;
        _time = time;
        _logger = logger;
        Model = embedder.ModelId();
    }

    /// <summary>The model whose vectors are searched.</summary>
    public EmbeddingModelId Model { get; }

    public async ValueTask<MemoryRecall> RetrieveAsync(MemoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Text) || query.MaxResults <= 0)
        {
            return MemoryRecall.Empty;
        }

        var scope = query.Scope;
        var pool = Math.Max(_options.CandidatePool, Math.Min(query.MaxResults, MaxPool));
        var now = _time.GetUtcNow();
        var temporal = _options.DateWeight > 0 && query.Mode == RetrievalMode.Hybrid
            ? TemporalExpressions.Find(query.Text, now, _options.DateToleranceDays)
            : null;

        // The keyword search runs on another thread while the query is embedded on this one: a store's "async" call
        // may do its work synchronously (the SQLite driver does), the in-memory index does, and the two together use two cores.
        var keywordTask = query.Mode switch
        {
            RetrievalMode.Dense => Task.FromResult<IReadOnlyList<KeywordHit>>([]),
            RetrievalMode.Keyword => KeywordSearchAsync(scope, query.Text, pool, cancellationToken).AsTask(),
            _ => Task.Run(() => KeywordSearchAsync(scope, query.Text, pool, cancellationToken).AsTask(), cancellationToken),
        };
        IReadOnlyList<VectorHit> dense = [];
        IVectorIndex? index = null;
        ReadOnlyMemory<float>? queryVector = null;
        if (query.Mode != RetrievalMode.Keyword)
        {
            var indexTask = _indexes.GetAsync(scope.Partition, Model, cancellationToken);
            var embedding = await _embedder.GenerateAsync([query.EmbeddingText ?? query.Text], cancellationToken: cancellationToken);
            queryVector = embedding[0].Vector;
            index = await indexTask;
            dense = index.Search(embedding[0].Vector.Span, pool, scope);
        }

        var keyword = await keywordTask;
        var denseIds = dense.Select(h => h.Id).ToList();
        var keywordIds = keyword.Select(h => h.Id).ToList();
        var fused = ReciprocalRankFusion.Fuse([denseIds, keywordIds], [_options.DenseWeight, _options.KeywordWeight], _options.RrfK);
        if (fused.Count == 0)
        {
            return MemoryRecall.Empty with { QueryVector = queryVector };
        }

        var records = (await _store.GetAsync(scope.Partition, fused.Select(f => f.Id).ToList(), cancellationToken))
            .Where(r => scope.Allows(r.Privacy, r.ChannelId))
            .ToDictionary(r => r.Id);
        var denseRank = Ranks(denseIds);
        var keywordRank = Ranks(keywordIds);
        var boostScale = query.Mode == RetrievalMode.Hybrid ? 1.0 / (_options.RrfK + 1) : 0.0;
        var named = _options.SpeakerWeight > 0 ? NamedSpeakers(query.Text, records.Values) : null;
        var ranked = fused
            .Where(f => records.ContainsKey(f.Id))
            .Select(f =>
            {
                var record = records[f.Id];
                var boost = Boost(record, now);
                if (temporal is { Windows.Count: > 0 } && temporal.Contains(record.OccurredAt))
                {
                    boost += _options.DateWeight;
                }

                if (named is not null && named.Contains(record.Speaker))
                {
                    boost += _options.SpeakerWeight;
                }

                return new MemoryHit(record, f.Score + (boostScale * boost), Rank(denseRank, f.Id), Rank(keywordRank, f.Id));
            })
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Record.Id)
            .ToList();

        if (_options.ClusterWeight > 0 && query.Mode == RetrievalMode.Hybrid)
        {
            var topClusters = ranked.Take(3).Select(h => h.Record.ClusterId).OfType<int>().ToHashSet();
            ranked = ranked
                .Select(h => h.Record.ClusterId is { } c && topClusters.Contains(c) ? h with { Score = h.Score + (boostScale * _options.ClusterWeight) } : h)
                .OrderByDescending(h => h.Score)
                .ThenBy(h => h.Record.Id)
                .ToList();
        }

        // Near-duplicates are filtered lazily: the budget below stops at the count it needs, so a candidate below the
        // cut is never compared with the ones above it (each comparison is a vector product, ~100 candidates' worth of
        // pairs otherwise). Counted are the near-duplicates met on the way.
        var duplicates = 0;
        IEnumerable<MemoryHit> distinct = NearDuplicateFilter.Filter(ranked, h => h.Record.Id, h => h.Record.Text,
            (a, b) => index?.Similarity(a, b), _options.NearDuplicateSimilarity, _ => duplicates++);
        if (_options.DiversityLambda < 1 && index is not null && query.Mode == RetrievalMode.Hybrid)
        {
            distinct = DiversityReranker.Rerank(distinct.ToList(), h => h.Score, h => h.Record.Id, index.Similarity, _options.DiversityLambda, Math.Max(3 * query.MaxResults, 60));
        }

        if (_options.MaxPerCluster > 0 && query.Mode == RetrievalMode.Hybrid)
        {
            distinct = ClusterSpread.Apply(distinct.ToList(), h => h.Record.ClusterId, _options.MaxPerCluster);
        }

        var hits = TokenBudget.Take(distinct, h => h.Record.TokenCount, query.MaxResults, query.MaxTokens, out var tokens);
        MemoryLog.Recalled(_logger, scope.Partition.ToString(), query.Mode.ToString(), hits.Count, tokens, ranked.Count, duplicates);
        return new MemoryRecall(hits, tokens, ranked.Count, duplicates) { QueryVector = queryVector };
    }

    private ValueTask<IReadOnlyList<KeywordHit>> KeywordSearchAsync(RecallScope scope, string text, int limit, CancellationToken cancellationToken) =>
        _keywords is not null
            ? _keywords.SearchAsync(scope, text, limit, cancellationToken)
            : _store.KeywordSearchAsync(scope, text, limit, cancellationToken);

    /// <summary>The speakers among the candidates that the query names, null when it names none or all of them.</summary>
    private static HashSet<string>? NamedSpeakers(string text, IEnumerable<MemoryRecord> candidates)
    {
        var words = KeywordTerms.Extract(text).ToHashSet(StringComparer.Ordinal);
        var speakers = candidates.Select(r => r.Speaker).Distinct(StringComparer.Ordinal).ToList();
        var named = speakers.Where(s => KeywordTerms.Extract(s).Any(words.Contains)).ToHashSet(StringComparer.Ordinal);
        return named.Count == 0 || named.Count == speakers.Count ? null : named;
    }

    /// <summary>
    /// What a memory's standing adds to its relevance: importance (a penalty below the neutral 0.5), recency that
    /// decays with the time since the memory was last said or recalled (half-life <see cref="MemoryOptions.RecencyHalfLife"/>),
    /// and how often it has been recalled (log scale, full at <see cref="MemoryOptions.AccessSaturation"/>).
    /// </summary>
    internal double Boost(MemoryRecord record, DateTimeOffset now)
    {
        var boost = _options.ImportanceWeight * (record.Importance - 0.5) * 2;
        if (_options.RecencyWeight != 0)
        {
            var lastUse = record.LastAccessedAt is { } accessed && accessed > record.OccurredAt ? accessed : record.OccurredAt;
            var age = Math.Max(0, (now - lastUse).TotalSeconds);
            boost += _options.RecencyWeight * Math.Pow(0.5, age / _options.RecencyHalfLife.TotalSeconds);
        }

        if (_options.AccessWeight != 0 && record.AccessCount > 0)
        {
            boost += _options.AccessWeight * Math.Min(1, Math.Log(1 + record.AccessCount) / Math.Log(1 + _options.AccessSaturation));
        }

        return boost;
    }

    private static Dictionary<long, int> Ranks(List<long> ids)
    {
        var ranks = new Dictionary<long, int>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            ranks.TryAdd(ids[i], i + 1);
        }

        return ranks;
    }

    private static int? Rank(Dictionary<long, int> ranks, long id) => ranks.TryGetValue(id, out var r) ? r : null;
}
