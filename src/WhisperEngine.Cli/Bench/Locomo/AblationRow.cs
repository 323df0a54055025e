namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>One setting changed by <c>--ablation</c>, and what hybrid recall scored with it.</summary>
internal sealed record AblationRow(string Name, ModeMetrics Metrics);
