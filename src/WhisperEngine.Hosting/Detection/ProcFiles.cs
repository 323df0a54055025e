using System.Globalization;
using System.Security;

namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Small, non-throwing helpers for reading and parsing files under /proc, /sys and /dev.
/// </summary>
internal static class ProcFiles
{
    /// <summary>Longest excerpt of a bad value quoted in a diagnostic.</summary>
    private const int MaxQuotedLength = 40;

    /// <summary>
    /// Reads a whole (small) file. Returns null when it does not exist or cannot be read;
    /// a read failure (not a missing file) is recorded in <paramref name="diagnostics"/> as
    /// "<paramref name="label"/>: cannot read (ExceptionType)".
    /// </summary>
    public static string? TryReadText(string path, string label, ICollection<string>? diagnostics)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (IsFileSystemError(ex))
        {
            diagnostics?.Add($"{label}: cannot read ({ex.GetType().Name})");
            return null;
        }
    }

    /// <summary>True for the exceptions that file-system probing may legitimately raise.</summary>
    public static bool IsFileSystemError(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException;

    /// <summary>Joins a root directory and an absolute-looking path such as "/dev/nvidia0" or "/docker/abc".</summary>
    public static string Under(string root, string absolutePath) =>
        Path.Join(root, absolutePath.TrimStart('/', '\\'));

    /// <summary>Trims and shortens a raw value so that it can be quoted in a one-line diagnostic.</summary>
    public static string Quote(string raw)
    {
        var value = raw.Trim().ReplaceLineEndings(" ");
        return value.Length <= MaxQuotedLength ? value : string.Concat(value.AsSpan(0, MaxQuotedLength), "...");
    }

    /// <summary>
    /// Parses the MemTotal line of /proc/meminfo ("MemTotal:       24683620 kB") into bytes.
    /// Returns null when the line is missing, malformed or not positive.
    /// </summary>
    public static long? ParseMemTotalBytes(string meminfo)
    {
        foreach (var rawLine in meminfo.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line["MemTotal:".Length..].Trim();
            var multiplier = 1L;
            if (rest.EndsWith("kB", StringComparison.OrdinalIgnoreCase))
            {
                multiplier = 1024L;
                rest = rest[..^2].TrimEnd();
            }

            if (!long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return null;
            }

            return value > long.MaxValue / multiplier ? null : value * multiplier;
        }

        return null;
    }

    /// <summary>
    /// Counts the "processor : N" entries of /proc/cpuinfo. Returns null when there are none.
    /// </summary>
    public static int? CountProcessors(string cpuinfo)
    {
        var count = 0;
        foreach (var rawLine in cpuinfo.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimStart();
            if (!line.StartsWith("processor", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line["processor".Length..].TrimStart();
            if (rest.StartsWith(':'))
            {
                count++;
            }
        }

        return count > 0 ? count : null;
    }
}
