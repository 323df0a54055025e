namespace WhisperEngine.Core.Privacy;

/// <summary>What an erasure did.</summary>
/// <param name="Scope">Whose data.</param>
/// <param name="Sections">Rows deleted or anonymised, per participant and table.</param>
/// <param name="Conversations">How many conversations were held while erasing.</param>
/// <param name="Finishing">What the finishers did (checkpoint, VACUUM, cache entries), in order.</param>
/// <param name="Elapsed">Wall time, including the wait for turns in flight.</param>
public sealed record ErasureReport(UserDataScope Scope, IReadOnlyList<UserDataSection> Sections, int Conversations,
    IReadOnlyList<string> Finishing, TimeSpan Elapsed)
{
    /// <summary>Rows over every section and table.</summary>
    public long TotalRows => Sections.Sum(s => s.TotalRows);

    /// <summary>The rows of one table of one section, 0 when absent.</summary>
    public long RowsOf(string section, string table) =>
        Sections.Where(s => s.Name == section).SelectMany(s => s.Tables).Where(t => t.Table == table).Sum(t => t.Rows);
}
