namespace WhisperEngine.Memory.Retrieval;

/// <summary>The times a query names (<see cref="TemporalExpressions.Find"/>) and its text without them.</summary>
/// <param name="Windows">The windows named, in order; empty when none.</param>
/// <param name="Remainder">The query's words without the date phrases (the query itself when none was found).</param>
public sealed record TemporalMatch(IReadOnlyList<DateWindow> Windows, string Remainder)
{
    /// <summary>Whether <paramref name="at"/> falls in any window.</summary>
    public bool Contains(DateTimeOffset at)
    {
        foreach (var window in Windows)
        {
            if (window.Contains(at))
            {
                return true;
            }
        }

        return false;
    }
}
