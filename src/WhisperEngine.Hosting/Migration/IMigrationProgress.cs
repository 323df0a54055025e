namespace WhisperEngine.Hosting.Migration;

/// <summary>Receives progress of a migration (the CLI draws progress bars from it).</summary>
public interface IMigrationProgress
{
    void Start(string table, long total, long alreadyCopied);

    void Advance(string table, long rows);
}
