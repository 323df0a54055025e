using System.Globalization;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Export;

/// <summary>The per-model rows of a report as CSV (RFC 4180, invariant culture), for spreadsheets.</summary>
public static class UsageReportCsv
{
    public const string Header = "model,requests,cost_usd,share,request_share,prompt_tokens,completion_tokens,avg_prompt_tokens,avg_completion_tokens,avg_cost_usd";

    public static void Write(UsageReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Header + "\n");
        foreach (var m in report.ByModel)
        {
            writer.Write(string.Join(',',
                Escape(m.Model),
                m.Requests.ToString(CultureInfo.InvariantCulture),
                m.CostUsd.ToString(CultureInfo.InvariantCulture),
                m.Share.ToString("0.######", CultureInfo.InvariantCulture),
                m.RequestShare.ToString("0.######", CultureInfo.InvariantCulture),
                m.PromptTokens.ToString(CultureInfo.InvariantCulture),
                m.CompletionTokens.ToString(CultureInfo.InvariantCulture),
                m.AvgPromptTokens.ToString("0.##", CultureInfo.InvariantCulture),
                m.AvgCompletionTokens.ToString("0.##", CultureInfo.InvariantCulture),
                m.AvgCostUsd.ToString(CultureInfo.InvariantCulture)) + "\n");
        }
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break, doubling quotes inside.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
