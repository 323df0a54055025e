namespace WhisperEngine.Hosting.Migration;

/// <summary>What <c>whisperengine migrate</c> copies, and how.</summary>
public sealed record MigrationOptions
{
    public required string SqlitePath { get; init; }
    public required string PostgresConnectionString { get; init; }
    public string Schema { get; init; } = "public";

    /// <summary>Allow a target that already holds data from elsewhere; conversations are matched by their key.</summary>
    public bool Merge { get; init; }
    public int BatchSize { get; init; } = 2_000;

    /// <summary>Pause between batches, to spare a live server.</summary>
    public TimeSpan PauseBetweenBatches { get; init; }
}
