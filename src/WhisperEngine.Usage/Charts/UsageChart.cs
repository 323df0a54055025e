using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Charts;

/// <summary>Writes the chart file a report asks for, its kind chosen by the extension: <c>.png</c> or <c>.html</c>.</summary>
public static class UsageChart
{
    /// <summary>True when <paramref name="path"/> ends in an extension this class can write.</summary>
    public static bool IsSupported(string path) => Path.GetExtension(path).ToUpperInvariant() is ".PNG" or ".HTML" or ".HTM";

    public static void Write(UsageReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsSupported(path))
        {
            throw new ArgumentException($"{path}: a chart is written as .png or .html", nameof(path));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        if (Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            PngChart.Write(report, stream);
        }
        else
        {
            using var writer = new StreamWriter(stream);
            HtmlChart.Write(report, writer);
        }
    }
}
