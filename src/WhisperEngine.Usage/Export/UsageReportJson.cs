using System.Text.Json;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Export;

/// <summary>
/// The report as JSON. Top level: <c>requests</c>, <c>cost_usd</c>, <c>avg_prompt_tokens</c>, <c>avg_completion_tokens</c>,
/// <c>by_model</c> (objects with <c>model</c>, <c>requests</c>, <c>cost_usd</c>, <c>share</c> of cost 0-1, ...), and the rest
/// of <see cref="UsageReport"/> in snake_case. Amounts in US dollars are exact decimals.
/// </summary>
public static class UsageReportJson
{
    public static void Write(UsageReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, report, UsageReportJsonContext.Default.UsageReport);
        stream.Write("\n"u8);
    }

    public static string ToJson(UsageReport report) => JsonSerializer.Serialize(report, UsageReportJsonContext.Default.UsageReport);
}
