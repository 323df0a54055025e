namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// A span of time a query points at ("on 3 June, 2023", "in May", "yesterday"): memories said within it are the likely
/// answers. A month named without a year matches that month of any year.
/// </summary>
/// <param name="From">Start, inclusive (UTC).</param>
/// <param name="To">End, exclusive (UTC).</param>
/// <param name="AnyYear">Only month and day matter: the year of <paramref name="From"/> is a placeholder.</param>
public readonly record struct DateWindow(DateTimeOffset From, DateTimeOffset To, bool AnyYear = false)
{
    /// <summary>Whether <paramref name="at"/> falls in the window.</summary>
    public bool Contains(DateTimeOffset at)
    {
        if (!AnyYear)
        {
            return at >= From && at < To;
        }

        // Move the instant into the placeholder year (and the one after, for a window that crosses new year).
        foreach (var year in (ReadOnlySpan<int>)[From.Year, From.Year + 1])
        {
            var day = Math.Min(at.Day, DateTime.DaysInMonth(year, at.Month));
            var moved = new DateTimeOffset(year, at.Month, day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
            if (moved >= From && moved < To)
            {
                return true;
            }
        }

        return false;
    }
}
