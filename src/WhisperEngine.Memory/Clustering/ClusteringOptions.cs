namespace WhisperEngine.Memory.Clustering;

/// <summary>Settings of topic clustering (<c>memory.clustering.*</c>).</summary>
public sealed class ClusteringOptions
{
    /// <summary>Cluster memories in the background (<c>memory.clustering.enabled</c>; off on the desktop profile).</summary>
    public bool Enabled { get; set; }

    /// <summary>Clusters per partition at most (k is about the square root of half the memories, up to this).</summary>
    public int MaxClusters { get; set; } = 64;

    /// <summary>A partition is clustered once it has this many memories.</summary>
    public int MinMemories { get; set; } = 20;

    /// <summary>New memories of a partition that make a sweep look at it.</summary>
    public int MinNewMemories { get; set; } = 10;

    /// <summary>
    /// Re-cluster a partition from scratch once the memories added since its last full clustering (assigned to the
    /// nearest centroid meanwhile) reach this share of it; below, new memories are only assigned.
    /// </summary>
    public double RebuildShare { get; set; } = 0.25;

    /// <summary>Time between sweeps of the background service.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Partitions handled per sweep at most.</summary>
    public int PartitionsPerSweep { get; set; } = 50;

    /// <summary>Words in a cluster's label.</summary>
    public int LabelWords { get; set; } = 3;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"memory.clustering.{name}: {value} is out of range; expected {expected}.");
            }
        }

        Check(MaxClusters is >= 2 and <= 1024, "max_clusters", MaxClusters, "2 to 1024");
        Check(MinMemories >= 4, "min_memories", MinMemories, "4 or more");
        Check(MinNewMemories >= 1, "min_new_memories", MinNewMemories, "1 or more");
        Check(RebuildShare is > 0 and <= 10, "rebuild_share", RebuildShare, "above 0, at most 10");
        Check(Interval >= TimeSpan.FromSeconds(1), "interval_seconds", Interval.TotalSeconds, "1 or more");
        Check(PartitionsPerSweep >= 1, "partitions_per_sweep", PartitionsPerSweep, "1 or more");
        Check(LabelWords is >= 1 and <= 10, "label_words", LabelWords, "1 to 10");
    }
}
