using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// Finds the times an English query points at: absolute dates ("3 June, 2023", "June 3rd", "October 2023", "in May",
/// "in 2022") and relative ones ("yesterday", "last week", "two days ago", "last month", "last year"), each as a
/// <see cref="DateWindow"/>, and the query without them (dates are not words to look up).
/// </summary>
/// <remarks>Local and rule-based (no model call); unknown phrasings are simply not recognised.</remarks>
public static class TemporalExpressions
{
    private static readonly FrozenDictionary<string, int> Months = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
        ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8, ["september"] = 9,
        ["sept"] = 9, ["sep"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // A bare month name is a date only after one of these ("in May"), or when capitalised and not also an English
    // word ("may", "march", "mar" ...): "Melanie may have" is no date.
    private static readonly FrozenSet<string> MonthLeads = new[]
    {
        "in", "during", "of", "since", "until", "till", "by", "last", "this", "early", "late", "mid", "before", "after", "around", "through",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> AmbiguousMonths = new[] { "may", "march", "mar", "jan", "sep", "dec", "jun", "jul", "aug", "nov", "oct", "apr", "feb" }
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> YearLeads = new[] { "in", "during", "of", "since", "until", "by", "before", "after", "early", "late", "mid" }
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> Numbers = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["couple"] = 2, ["few"] = 3,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The windows <paramref name="text"/> names, relative ones measured from <paramref name="now"/>, and the text without them.</summary>
    /// <param name="text">The query.</param>
    /// <param name="now">The time the query is asked.</param>
    /// <param name="dayTolerance">Days added on each side of a window of one day (a memory is often written a day after the event it tells).</param>
    public static TemporalMatch Find(string text, DateTimeOffset now, int dayTolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Tokenise(text);
        var windows = new List<DateWindow>();
        var used = new bool[words.Count];
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var slack = TimeSpan.FromDays(dayTolerance);
        for (var i = 0; i < words.Count; i++)
        {
            if (used[i])
            {
                continue;
            }

            var (window, length) = Absolute(words, i, today, slack);
            if (length == 0)
            {
                (window, length) = Relative(words, i, now, today);
            }

            if (length > 0)
            {
                windows.Add(window);
                for (var j = i; j < i + length; j++)
                {
                    used[j] = true;
                }

                i += length - 1;
            }
        }

        if (windows.Count == 0)
        {
            return new TemporalMatch([], text);
        }

        var rest = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            if (!used[i])
            {
                rest.Append(words[i].Original).Append(' ');
            }
        }

        return new TemporalMatch(windows, rest.ToString().TrimEnd());
    }

    private static (DateWindow Window, int Length) Absolute(List<Word> w, int i, DateTimeOffset today, TimeSpan slack)
    {
        // "3 June 2023", "3rd of June, 2023", "3 June"
        if (Day(w, i) is { } d1)
        {
            var m = i + 1;
            if (m < w.Count && w[m].Lower == "of")
            {
                m++;
            }

            if (m < w.Count && Months.TryGetValue(w[m].Lower, out var month))
            {
                return Year(w, m + 1) is { } year
                    ? (DayWindow(year, month, d1, slack, anyYear: false), m + 2 - i)
                    : (DayWindow(today.Year, month, d1, slack, anyYear: true), m + 1 - i);
            }
        }

        if (!Months.TryGetValue(w[i].Lower, out var mo))
        {
            return YearAlone(w, i);
        }

        // "June 3, 2023", "June 3rd", "June 2023", "in June"
        if (Day(w, i + 1) is { } d2 && !(Year(w, i + 1) is not null && w[i + 1].Lower.Length == 4))
        {
            return Year(w, i + 2) is { } year
                ? (DayWindow(year, mo, d2, slack, anyYear: false), 3)
                : (DayWindow(today.Year, mo, d2, slack, anyYear: true), 2);
        }

        if (Year(w, i + 1) is { } y)
        {
            var from = new DateTimeOffset(y, mo, 1, 0, 0, 0, TimeSpan.Zero);
            return (new DateWindow(from - slack, from.AddMonths(1) + slack), 2);
        }

        var lead = i > 0 && MonthLeads.Contains(w[i - 1].Lower);
        if (lead || (w[i].Capitalised && !AmbiguousMonths.Contains(w[i].Lower)))
        {
            var from = new DateTimeOffset(today.Year, mo, 1, 0, 0, 0, TimeSpan.Zero);
            return (new DateWindow(from - slack, from.AddMonths(1) + slack, AnyYear: true), 1);
        }

        return (default, 0);
    }

    private static (DateWindow Window, int Length) YearAlone(List<Word> w, int i)
    {
        if (i > 0 && YearLeads.Contains(w[i - 1].Lower) && Year(w, i) is { } year)
        {
            var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            return (new DateWindow(from, from.AddYears(1)), 1);
        }

        return (default, 0);
    }

    private static (DateWindow Window, int Length) Relative(List<Word> w, int i, DateTimeOffset now, DateTimeOffset today)
    {
        var word = w[i].Lower;
        var next = i + 1 < w.Count ? w[i + 1].Lower : "";
        switch (word)
        {
            case "yesterday":
                return (new DateWindow(today.AddDays(-1), today), 1);
            case "today" or "tonight":
                return (new DateWindow(today, today.AddDays(1)), 1);
            case "last" or "past" when next is "night":
                return (new DateWindow(today.AddDays(-1), today), 2);
            case "last" or "past" when next is "week" or "weekend":
                return (new DateWindow(today.AddDays(-10), today), 2);
            case "this" when next is "week":
                return (new DateWindow(today.AddDays(-7), today.AddDays(1)), 2);
            case "last" or "past" when next is "month":
            {
                var start = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
                return (new DateWindow(start, start.AddMonths(1)), 2);
            }

            case "this" when next is "month":
                return (new DateWindow(new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero), today.AddDays(1)), 2);
            case "last" or "past" when next is "year":
                return (new DateWindow(new DateTimeOffset(today.Year - 1, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero)), 2);
            case "this" when next is "year":
                return (new DateWindow(new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero), today.AddDays(1)), 2);
        }

        // "two days ago", "a few weeks ago", "3 months ago"
        var n = i;
        if (w[n].Lower is "a" && n + 1 < w.Count && w[n + 1].Lower is "few" or "couple")
        {
            n++;
        }

        var count = Numbers.TryGetValue(w[n].Lower, out var c) ? c : int.TryParse(w[n].Lower, NumberStyles.None, CultureInfo.InvariantCulture, out c) && c is > 0 and < 100 ? c : 0;
        if (count > 0 && n + 2 < w.Count && w[n + 1].Lower == "of" && w[n].Lower == "couple")
        {
            n++;
        }

        if (count == 0 || n + 2 >= w.Count || w[n + 2].Lower != "ago")
        {
            return (default, 0);
        }

        var unit = w[n + 1].Lower.TrimEnd('s') switch
        {
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            "month" => TimeSpan.FromDays(30),
            "year" => TimeSpan.FromDays(365),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero)
        {
            return (default, 0);
        }

        // Spoken spans are rough: "two weeks ago" is 1.5 to 2.5 weeks before now.
        var centre = now - (unit * count);
        var half = unit * Math.Max(0.5, count * 0.25);
        return (new DateWindow(centre - half, centre + half), n + 3 - i);
    }

    private static DateWindow DayWindow(int year, int month, int day, TimeSpan slack, bool anyYear)
    {
        day = Math.Min(day, DateTime.DaysInMonth(year, month));
        var from = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
        return new DateWindow(from - slack, from.AddDays(1) + slack, anyYear);
    }

    private static int? Day(List<Word> w, int i)
    {
        if (i >= w.Count)
        {
            return null;
        }

        var s = w[i].Lower;
        foreach (var suffix in (ReadOnlySpan<string>)["st", "nd", "rd", "th"])
        {
            if (s.Length > 2 && s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^2];
                break;
            }
        }

        return s.Length <= 2 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 31 ? d : null;
    }

    private static int? Year(List<Word> w, int i) =>
        i < w.Count && w[i].Lower.Length == 4 && int.TryParse(w[i].Lower, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 2199
            ? y
            : null;

    private static List<Word> Tokenise(string text)
    {
        var words = new List<Word>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && start >= 0));
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var original = text[start..i];
                words.Add(new Word(original, original.ToLowerInvariant(), char.IsUpper(original[0])));
                start = -1;
            }
        }

        return words;
    }

    private readonly record struct Word(string Original, string Lower, bool Capitalised);
}
