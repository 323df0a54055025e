namespace WhisperEngine.Hosting.Migration;

/// <summary>One table after a migration: rows on each side and checksums over their content.</summary>
public sealed record TableReport(string Table, long SourceRows, long TargetRows, long CopiedThisRun, string SourceChecksum, string TargetChecksum)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;

    /// <summary>What the check took into account beyond equal rows (e.g. values resolved against the target's own on --merge).</summary>
    public string? Note { get; init; }
}
