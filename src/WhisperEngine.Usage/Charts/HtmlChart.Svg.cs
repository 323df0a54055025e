using System.Text;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Charts;

/// <summary>The two SVG charts of the HTML page.</summary>
public static partial class HtmlChart
{
    private static void ModelBars(StringBuilder html, IReadOnlyList<ChartBar> bars)
    {
        const int top = 16, row = 34, bar = 22, valueWidth = 170;
        var labelWidth = Math.Clamp(bars.Count == 0 ? 120 : (bars.Max(b => b.Label.Length) * 7.4) + 16, 120, 380);
        var space = SvgWidth - labelWidth - valueWidth - 16;
        var axisY = top + (Math.Max(bars.Count, 1) * row);
        var height = axisY + 34;
        var max = ChartBar.NiceCeiling(bars.Count == 0 ? 0 : (double)bars.Max(b => b.CostUsd));
        html.Append($"<svg id=\"cost-per-model\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{SvgWidth}\" height=\"{height}\" viewBox=\"0 0 {SvgWidth} {height}\" role=\"img\" aria-label=\"Cost per model\">\n");
        for (var tick = 0; tick <= 4; tick++)
        {
            var x = labelWidth + (space * tick / 4);
            html.Append($"<line class=\"grid\" x1=\"{F(x)}\" y1=\"{top - 6}\" x2=\"{F(x)}\" y2=\"{axisY}\"/>")
                .Append($"<text class=\"muted\" x=\"{F(x)}\" y=\"{axisY + 20}\" text-anchor=\"middle\">{E(UsageFormat.Tick(max * tick / 4))}</text>\n");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = top + (i * row);
            var length = Math.Max(space * (double)b.CostUsd / max, 1);
            var tip = $"{b.Label}: {UsageFormat.Money(b.CostUsd)}, {UsageFormat.Percent(b.Share)} of cost, {b.Requests:#,##0} requests";
            html.Append($"<text x=\"{F(labelWidth - 10)}\" y=\"{y + (row / 2) + 4}\" text-anchor=\"end\">{E(b.Label)}</text>")
                .Append($"<rect class=\"bar model-bar\" x=\"{F(labelWidth)}\" y=\"{y + ((row - bar) / 2)}\" width=\"{F(length)}\" height=\"{bar}\" rx=\"3\" fill=\"{ChartBar.Palette[i % ChartBar.Palette.Count]}\"><title>{E(tip)}</title></rect>")
                .Append($"<text x=\"{F(labelWidth + length + 8)}\" y=\"{y + (row / 2) + 4}\">{E($"{UsageFormat.Money(b.CostUsd)} ({UsageFormat.Percent(b.Share)})")}</text>\n");
        }

        html.Append($"<line class=\"axis\" x1=\"{F(labelWidth)}\" y1=\"{top - 6}\" x2=\"{F(labelWidth)}\" y2=\"{axisY}\"/>\n</svg>\n");
    }

    private static void DayBars(StringBuilder html, UsageReport report)
    {
        const int height = 260, left = 80, right = 20, top = 16, bottom = 40;
        // Every day of the period, days without calls as empty bars, so gaps show as gaps.
        var byDate = report.ByDay.ToDictionary(d => d.Date);
        var days = report.ByDay.Count == 0 ? [] : Enumerable.Range(0, report.ByDay[^1].Date.DayNumber - report.ByDay[0].Date.DayNumber + 1)
            .Select(i => report.ByDay[0].Date.AddDays(i))
            .Select(d => byDate.GetValueOrDefault(d) ?? new DayUsage(d, 0, 0, 0, 0))
            .ToList();
        var plotWidth = SvgWidth - left - right;
        var plotHeight = height - top - bottom;
        var max = ChartBar.NiceCeiling(days.Count == 0 ? 0 : (double)days.Max(d => d.CostUsd));
        html.Append($"<svg id=\"cost-per-day\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{SvgWidth}\" height=\"{height}\" viewBox=\"0 0 {SvgWidth} {height}\" role=\"img\" aria-label=\"Cost per day\">\n");
        for (var tick = 0; tick <= 4; tick++)
        {
            var y = top + plotHeight - (plotHeight * tick / 4.0);
            html.Append($"<line class=\"grid\" x1=\"{left}\" y1=\"{F(y)}\" x2=\"{SvgWidth - right}\" y2=\"{F(y)}\"/>")
                .Append($"<text class=\"muted\" x=\"{left - 8}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{E(UsageFormat.Tick(max * tick / 4))}</text>\n");
        }

        var slot = days.Count == 0 ? plotWidth : plotWidth / (double)days.Count;
        var width = Math.Min(48, slot * 0.8);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 12.0));
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var h = plotHeight * (double)d.CostUsd / max;
            var x = left + (slot * i) + ((slot - width) / 2);
            html.Append($"<rect class=\"bar day-bar\" x=\"{F(x)}\" y=\"{F(top + plotHeight - h)}\" width=\"{F(width)}\" height=\"{F(h)}\" rx=\"2\" fill=\"{ChartBar.Palette[0]}\">")
                .Append($"<title>{E($"{d.Date:yyyy-MM-dd}: {UsageFormat.Money(d.CostUsd)}, {d.Requests:#,##0} requests")}</title></rect>");
            if (i % labelEvery == 0)
            {
                html.Append($"<text class=\"muted\" x=\"{F(x + (width / 2))}\" y=\"{height - bottom + 18}\" text-anchor=\"middle\">{d.Date:yyyy-MM-dd}</text>");
            }

            html.Append('\n');
        }

        if (days.Count == 0)
        {
            html.Append($"<text class=\"muted\" x=\"{left + 10}\" y=\"{top + (plotHeight / 2)}\">No model calls in this period.</text>\n");
        }

        html.Append($"<line class=\"axis\" x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{SvgWidth - right}\" y2=\"{top + plotHeight}\"/>\n</svg>\n");
    }
}
