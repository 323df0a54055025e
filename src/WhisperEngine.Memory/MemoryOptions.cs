namespace WhisperEngine.Memory;

/// <summary>Settings of memory writing and retrieval. The defaults are the ones measured in <c>docs/memory.md</c>.</summary>
public sealed class MemoryOptions
{
    /// <summary>Candidates taken from each of the dense and the keyword search before fusion.</summary>
    public int CandidatePool { get; set; } = 50;

    /// <summary>
    /// The k of reciprocal-rank fusion: a hit at rank r scores weight / (k + r). Smaller than the customary 60: the
    /// first few ranks of each list carry most of the evidence in conversational memory (docs/memory.md).
    /// </summary>
    public int RrfK { get; set; } = 5;

    /// <summary>Weight of the dense (embedding) ranking in fusion.</summary>
    public double DenseWeight { get; set; } = 1.0;

    /// <summary>Weight of the keyword (BM25) ranking in fusion; above the dense weight because names, places and rare words decide most recalls.</summary>
    public double KeywordWeight { get; set; } = 1.5;

    /// <summary>Boost for a memory said just now, as a share of a first-rank fusion score; it halves every <see cref="RecencyHalfLife"/>.</summary>
    public double RecencyWeight { get; set; } = 0.1;

    /// <summary>Age at which the recency boost is half its full size.</summary>
    public TimeSpan RecencyHalfLife { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Boost per unit of importance above 0.5 (a penalty below), as a share of a first-rank fusion score.</summary>
    public double ImportanceWeight { get; set; } = 0.3;

    /// <summary>Estimate the importance of a memory written with the neutral 0.5 from its words (<see cref="Writing.ImportanceEstimator"/>).</summary>
    public bool EstimateImportance { get; set; } = true;

    /// <summary>
    /// Boost for a memory recalled often, as a share of a first-rank fusion score: full at <see cref="AccessSaturation"/>
    /// recalls, on a log scale below. Being used is evidence of mattering.
    /// </summary>
    public double AccessWeight { get; set; } = 0.05;

    /// <summary>Recalls at which the access boost is full.</summary>
    public int AccessSaturation { get; set; } = 20;

    /// <summary>Boost for a candidate in the same topic cluster as one of the top three, as a share of a first-rank fusion score; needs clustering.</summary>
    public double ClusterWeight { get; set; }

    /// <summary>At most this many hits of one topic cluster before hits of other clusters (0: no limit); needs clustering.</summary>
    public int MaxPerCluster { get; set; }

    /// <summary>Cosine similarity at or above which a lower-ranked memory is left out as a near-duplicate of a higher one.</summary>
    public float NearDuplicateSimilarity { get; set; } = 0.95f;

    /// <summary>Index the message a memory answers (<see cref="Records.NewMemory.Context"/>) in its keyword entry (at a lower weight than its own words).</summary>
    public bool KeywordContext { get; set; } = true;

    /// <summary>Index the message that answered a memory (<see cref="Records.NewMemory.InReplyTo"/>) in its keyword entry.</summary>
    public bool KeywordReply { get; set; } = true;

    /// <summary>
    /// Weight of the answered message's vector added to a memory's own before normalising (0: the memory's words
    /// alone). Pulls "yes, last week" towards the question it answered without letting it drown the answer.
    /// </summary>
    public float ContextVectorWeight { get; set; }

    /// <summary>
    /// Boost for a memory said within a time the query names ("on 3 June, 2023", "in May", "last week";
    /// <see cref="Retrieval.TemporalExpressions"/>), as a share of a first-rank fusion score; 0 turns date matching off.
    /// </summary>
    public double DateWeight { get; set; } = 1.0;

    /// <summary>Days added on each side of a one-day window named by a query.</summary>
    public int DateToleranceDays { get; set; } = 1;

    /// <summary>Boost for a memory whose speaker the query names (when it does not name every speaker), as a share of a first-rank fusion score.</summary>
    public double SpeakerWeight { get; set; } = 0.2;

    /// <summary>
    /// Match the names of a partition's speakers in the words of memories too. Off (the default): a speaker's name in
    /// a query only boosts what that speaker said, since in the words of a memory a name is mostly an address
    /// ("Thanks, Jon!") and would rank greetings first.
    /// </summary>
    public bool SpeakerNamesAsKeywords { get; set; }

    /// <summary>
    /// Work limit of the keyword search in large partitions: in a partition of more memories than this, the query's
    /// most common words only add to the score of memories found by its rarer words, chosen so that the words that find
    /// are in at most this many memories (the rarest word always finds). A keyword index scores every memory that holds
    /// any query word, so at 100,000 memories one everyday word costs tens of milliseconds. 0: every word finds.
    /// </summary>
    public int KeywordRowBudget { get; set; } = 2000;

    /// <summary>
    /// Where the keyword search runs: <see cref="Keywords.KeywordIndexMode.Memory"/> (an index per partition in process
    /// memory, the same ranking on every backend, top-k with MaxScore so common words cost little) or
    /// <see cref="Keywords.KeywordIndexMode.Store"/> (the store's full-text search, which needs no memory of its own).
    /// </summary>
    public Keywords.KeywordIndexMode KeywordIndex { get; set; } = Keywords.KeywordIndexMode.Memory;

    /// <summary>Relevance against diversity in maximal-marginal-relevance reranking (1: relevance only, off).</summary>
    public double DiversityLambda { get; set; } = 1.0;

    /// <summary>Memories re-embedded per batch after a change of embedding model.</summary>
    public int ReembedBatchSize { get; set; } = 64;

    /// <summary>
    /// A partition's in-memory indexes unused this long are dropped, and loaded from the store again on next use
    /// (config <c>memory.index_idle_minutes</c>). Zero keeps them until the budget needs the room.
    /// </summary>
    public TimeSpan IndexIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Memories held in loaded indexes at most, over all partitions (each kind of index counted on its own); beyond, the
    /// least recently used partitions are dropped (config <c>memory.max_indexed_memories</c>; a MiniLM vector is 1.5 KiB).
    /// Zero: no limit.
    /// </summary>
    public long MaxIndexedMemories { get; set; } = 1_000_000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"memory.{name}: {value} is out of range; expected {expected}.");
            }
        }

        Check(CandidatePool is > 0 and <= 1000, nameof(CandidatePool), CandidatePool, "1 to 1000");
        Check(RrfK >= 0, nameof(RrfK), RrfK, "0 or more");
        Check(DenseWeight >= 0 && KeywordWeight >= 0 && DenseWeight + KeywordWeight > 0, nameof(DenseWeight) + "/" + nameof(KeywordWeight),
            $"{DenseWeight}/{KeywordWeight}", "non-negative weights, not both 0");
        Check(RecencyHalfLife > TimeSpan.Zero, nameof(RecencyHalfLife), RecencyHalfLife, "a positive duration");
        Check(NearDuplicateSimilarity is > 0 and <= 1, nameof(NearDuplicateSimilarity), NearDuplicateSimilarity, "above 0, at most 1");
        Check(ContextVectorWeight >= 0, nameof(ContextVectorWeight), ContextVectorWeight, "0 or more");
        Check(AccessWeight >= 0, nameof(AccessWeight), AccessWeight, "0 or more");
        Check(AccessSaturation > 0, nameof(AccessSaturation), AccessSaturation, "1 or more");
        Check(MaxPerCluster >= 0, nameof(MaxPerCluster), MaxPerCluster, "0 or more");
        Check(DateWeight >= 0, nameof(DateWeight), DateWeight, "0 or more");
        Check(SpeakerWeight >= 0, nameof(SpeakerWeight), SpeakerWeight, "0 or more");
        Check(ClusterWeight >= 0, nameof(ClusterWeight), ClusterWeight, "0 or more");
        Check(DateToleranceDays is >= 0 and <= 30, nameof(DateToleranceDays), DateToleranceDays, "0 to 30");
        Check(DiversityLambda is > 0 and <= 1, nameof(DiversityLambda), DiversityLambda, "above 0, at most 1");
        Check(KeywordRowBudget >= 0, nameof(KeywordRowBudget), KeywordRowBudget, "0 or more");
        Check(Enum.IsDefined(KeywordIndex), nameof(KeywordIndex), KeywordIndex, "Memory or Store");
        Check(ReembedBatchSize > 0, nameof(ReembedBatchSize), ReembedBatchSize, "1 or more");
        Check(IndexIdleTimeout >= TimeSpan.Zero, nameof(IndexIdleTimeout), IndexIdleTimeout, "zero or a positive duration");
        Check(MaxIndexedMemories >= 0, nameof(MaxIndexedMemories), MaxIndexedMemories, "0 or more");
    }
}
