namespace WhisperEngine.Hosting.Migration;

/// <summary>One table after a migration: rows on each side and checksums over their content.</summary>
public sealed record TableReport(string Table, long SourceRows, long TargetRows, long CopiedThisRun, string SourceChecksum, string TargetChecksum)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}
