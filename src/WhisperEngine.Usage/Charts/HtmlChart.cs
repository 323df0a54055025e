using System.Globalization;
using System.Net;
using System.Text;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Charts;

/// <summary>
/// The report as one self-contained HTML page: headline figures, an SVG bar chart of the cost per model (one
/// <c>rect class="bar model-bar"</c> per model), an SVG chart of the cost per day, the per-model table and the yearly
/// projections. No scripts, no external files: it opens offline in any browser.
/// </summary>
public static partial class HtmlChart
{
    private const int SvgWidth = 960;

    public static void Write(UsageReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Model usage and cost</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #1f2933; background: #f7f8fa; }
            h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; font-size: 1.2rem; }
            .source { color: #616e7c; margin-top: 0; }
            .cards { display: flex; flex-wrap: wrap; gap: .8rem; }
            .card { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: .7rem 1rem; min-width: 130px; }
            .card span { color: #616e7c; font-size: .85rem; } .card b { display: block; font-size: 1.35rem; margin-top: .2rem; }
            svg { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; max-width: 100%; height: auto; }
            svg text { font-family: inherit; font-size: 13px; fill: #1f2933; } svg .muted { fill: #616e7c; font-size: 12px; }
            svg .grid { stroke: #e4e7eb; } svg .axis { stroke: #9aa5b1; }
            svg .bar:hover { opacity: .8; }
            table { border-collapse: collapse; background: #fff; width: 100%; font-size: .92rem; }
            th, td { border-bottom: 1px solid #e4e7eb; padding: .4rem .6rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
            th { background: #f0f2f5; } .note { color: #616e7c; font-size: .9rem; }
            </style>
            </head>
            <body>

            """);
        html.Append("<h1>Model usage and cost</h1>\n<p class=\"source\">").Append(E(report.Source));
        if (report.From is { } from && report.To is { } to)
        {
            html.Append(" &middot; ").Append(E($"{from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm} UTC"));
        }

        html.Append("</p>\n<div class=\"cards\">\n");
        Card(html, "Requests", report.Requests.ToString("#,##0", CultureInfo.InvariantCulture));
        Card(html, "Total cost", UsageFormat.Money(report.CostUsd));
        Card(html, "Cost per request", UsageFormat.Money(report.AvgCostUsd));
        Card(html, "Avg prompt tokens", UsageFormat.Number(report.AvgPromptTokens));
        Card(html, "Avg completion tokens", UsageFormat.Number(report.AvgCompletionTokens));
        Card(html, "Time to first token p50", UsageFormat.Millis(report.TimeToFirstTokenMs.P50));
        if (report.Projections.FirstOrDefault(p => p.Users == 100) is { } hundred)
        {
            Card(html, "Yearly cost, 100 users", UsageFormat.Money(hundred.CostPerYearUsd));
        }

        html.Append("</div>\n\n<h2>Cost per model</h2>\n");
        ModelBars(html, ChartBar.PerModel(report));
        html.Append("\n<h2>Cost per day</h2>\n");
        DayBars(html, report);
        html.Append("\n<h2>Per model</h2>\n<table>\n<tr><th>Model</th><th>Requests</th><th>Share of requests</th><th>Cost</th><th>Share of cost</th><th>Avg prompt tokens</th><th>Avg completion tokens</th></tr>\n");
        foreach (var m in report.ByModel)
        {
            html.Append("<tr><td>").Append(E(m.Model)).Append("</td><td>").Append(m.Requests.ToString("#,##0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(UsageFormat.Percent(m.RequestShare)).Append("</td><td>").Append(UsageFormat.Money(m.CostUsd))
                .Append("</td><td>").Append(UsageFormat.Percent(m.Share)).Append("</td><td>").Append(UsageFormat.Number(m.AvgPromptTokens))
                .Append("</td><td>").Append(UsageFormat.Number(m.AvgCompletionTokens)).Append("</td></tr>\n");
        }

        html.Append("</table>\n\n<h2>Projected yearly cost</h2>\n<table>\n<tr><th>Users</th><th>Requests per year</th><th>Cost per month</th><th>Cost per year</th></tr>\n");
        foreach (var p in report.Projections)
        {
            html.Append("<tr><td>").Append(p.Users.ToString("#,##0", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(p.RequestsPerYear.ToString("#,##0", CultureInfo.InvariantCulture)).Append("</td><td>").Append(UsageFormat.Money(p.CostPerMonthUsd))
                .Append("</td><td>").Append(UsageFormat.Money(p.CostPerYearUsd)).Append("</td></tr>\n");
        }

        var a = report.ProjectionAssumptions;
        html.Append("</table>\n<p class=\"note\">").Append(E($"Active users: {a.ActiveUsers} ({a.ActiveUsersBasis}). {a.Method}.")).Append("</p>\n</body>\n</html>\n");
        writer.Write(html.ToString());
    }

    private static void Card(StringBuilder html, string title, string value) =>
        html.Append("<div class=\"card\"><span>").Append(E(title)).Append("</span><b>").Append(E(value)).Append("</b></div>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
