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
    public double ImportanceWeight { get; set; } = 0.1;

    /// <summary>Cosine similarity at or above which a lower-ranked memory is left out as a near-duplicate of a higher one.</summary>
    public float NearDuplicateSimilarity { get; set; } = 0.95f;

    /// <summary>Index the message a memory answers (<see cref="Records.NewMemory.Context"/>) in its keyword entry (at a lower weight than its own words).</summary>
    public bool KeywordContext { get; set; } = true;

    /// <summary>
    /// Weight of the answered message's vector added to a memory's own before normalising (0: the memory's words
    /// alone). Pulls "yes, last week" towards the question it answered without letting it drown the answer.
    /// </summary>
    public float ContextVectorWeight { get; set; }

    /// <summary>Memories re-embedded per batch after a change of embedding model.</summary>
    public int ReembedBatchSize { get; set; } = 64;

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
        Check(ReembedBatchSize > 0, nameof(ReembedBatchSize), ReembedBatchSize, "1 or more");
    }
}
