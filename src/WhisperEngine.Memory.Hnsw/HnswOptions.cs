namespace WhisperEngine.Memory.Hnsw;

/// <summary>Settings of the HNSW index of large memory partitions (config section <c>memory.hnsw</c>).</summary>
public sealed class HnswOptions
{
    /// <summary>
    /// Partitions with at least this many vectors get an HNSW graph; smaller ones are searched exactly (an exact
    /// scan of 20,000 vectors takes under 1 ms, and is always right).
    /// </summary>
    public int MinimumPartitionSize { get; set; } = 20_000;

    /// <summary>Neighbours per node of the graph (USearch's connectivity, HNSW's M).</summary>
    public int Connectivity { get; set; } = 16;

    /// <summary>Candidates kept while adding a vector (HNSW's efConstruction): higher builds a better graph, slower.</summary>
    public int ExpansionAdd { get; set; } = 128;

    /// <summary>Candidates kept while searching (HNSW's ef; at least the number of results asked for).</summary>
    public int ExpansionSearch { get; set; } = 128;

    /// <summary>
    /// Candidates taken from the graph per result asked for (re-scored exactly, the best kept), multiplied for a scope
    /// that may see only part of the partition by the inverse of that part; when too few allowed ones survive, the
    /// search falls back to the exact scan.
    /// </summary>
    public int OverFetch { get; set; } = 2;

    /// <summary>The most candidates one search takes from the graph; a scope that would need more is searched exactly.</summary>
    public int MaxCandidates { get; set; } = 2048;

    /// <summary>
    /// Store graph vectors as bfloat16: half the memory of the graph, and faster to build than float16 on CPUs without
    /// native half floats; hits are re-scored with the exact float32 vectors, so scores stay exact and only the candidate
    /// order may differ (measured recall in docs/memory.md).
    /// </summary>
    public bool HalfPrecision { get; set; } = true;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"memory.hnsw.{name}: {value} is out of range; expected {expected}.");
            }
        }

        Check(MinimumPartitionSize >= 1, nameof(MinimumPartitionSize), MinimumPartitionSize, "1 or more");
        Check(Connectivity is >= 2 and <= 256, nameof(Connectivity), Connectivity, "2 to 256");
        Check(ExpansionAdd is >= 1 and <= 4096, nameof(ExpansionAdd), ExpansionAdd, "1 to 4096");
        Check(ExpansionSearch is >= 1 and <= 4096, nameof(ExpansionSearch), ExpansionSearch, "1 to 4096");
        Check(OverFetch is >= 1 and <= 100, nameof(OverFetch), OverFetch, "1 to 100");
        Check(MaxCandidates is >= 10 and <= 100_000, nameof(MaxCandidates), MaxCandidates, "10 to 100000");
    }
}
