namespace WhisperEngine.Cli.Bench;

/// <summary>A clock the benchmark sets: memories are written at their dialogue's dates and questions asked after the last one.</summary>
internal sealed class BenchClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => Now;
}
