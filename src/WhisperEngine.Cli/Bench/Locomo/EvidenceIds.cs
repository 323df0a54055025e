using System.Globalization;
using System.Text.RegularExpressions;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>
/// Normalises LoCoMo evidence ids. The annotations hold malformed ones: two ids in one string ("D8:6; D9:17"), a stray
/// colon ("D:11:26"), zero-padded turns ("D30:05") and a bare "D". Each becomes zero or more canonical <c>D{s}:{t}</c>.
/// </summary>
internal static partial class EvidenceIds
{
    /// <summary>The canonical ids in <paramref name="raw"/>, in order, without repeats.</summary>
    public static IReadOnlyList<string> Normalise(IEnumerable<string> raw)
    {
        var ids = new List<string>();
        foreach (var value in raw)
        {
            foreach (Match match in IdPattern().Matches(value))
            {
                var id = Canonical(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    public static string Canonical(int session, int turn) => string.Create(CultureInfo.InvariantCulture, $"D{session}:{turn}");

    [GeneratedRegex(@"D\s*:?\s*(\d+)\s*:\s*(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
