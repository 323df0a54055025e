namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>One fusion setting tried by <c>--sweep</c>, and what it scored.</summary>
internal sealed record SweepPoint(int RrfK, double DenseWeight, double KeywordWeight, double RecallAnyAt10, double RecallAnyAt20, double TokensAt10);
