using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>What a LoCoMo run measured.</summary>
internal sealed record LocomoBenchResult(
    LocomoBenchOptions Options,
    IReadOnlyDictionary<RetrievalMode, ModeMetrics> Modes,
    int Conversations,
    int Memories,
    int QuestionsSkipped,
    int EvidenceUnknown,
    IReadOnlyList<double> WriteMs,
    double IngestSeconds,
    double EmbedderLoadSeconds)
{
    public ModeMetrics Primary => Modes[Options.Primary];
    public IReadOnlyList<SweepPoint> Sweep { get; init; } = [];
    public IReadOnlyList<AblationRow> Ablation { get; init; } = [];

    /// <summary>Time of the full clustering of each conversation (with <c>--cluster</c>).</summary>
    public IReadOnlyList<double> ClusteringMs { get; init; } = [];
    public double WriteP50Ms => Percentile.Of((IReadOnlyCollection<double>)WriteMs, 50);
    public double WriteP95Ms => Percentile.Of((IReadOnlyCollection<double>)WriteMs, 95);
}
