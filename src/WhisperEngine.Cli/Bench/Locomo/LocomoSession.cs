namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>One session of a LoCoMo conversation: a date and its turns in order.</summary>
internal sealed record LocomoSession(int Number, DateTimeOffset Date, IReadOnlyList<LocomoTurn> Turns);
