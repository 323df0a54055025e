using System.Globalization;
using Spectre.Console;
using WhisperEngine.Usage;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Cli.Commands;

/// <summary>A usage report as terminal tables and bar charts.</summary>
internal static class UsageReportTerminal
{
    private static readonly Color[] Palette = [Color.SteelBlue, Color.DarkOrange, Color.SeaGreen3, Color.IndianRed, Color.CadetBlue, Color.Orchid, Color.Gold1, Color.LightPink1];

    public static void Write(UsageReport report, IAnsiConsole console)
    {
        var ledger = report.SourceKind == "ledger";
        var summary = new Table().Border(TableBorder.Rounded).Title("Usage").AddColumn("").AddColumn("");
        summary.HideHeaders();
        summary.AddRow("source", Markup.Escape(report.Source));
        summary.AddRow("period (UTC)", report.From is { } from && report.To is { } to ? $"{from:yyyy-MM-dd HH:mm:ss} to {to:yyyy-MM-dd HH:mm:ss}" : "no calls");
        summary.AddRow("requests", report.Requests.ToString("#,##0", CultureInfo.InvariantCulture));
        summary.AddRow("total cost", UsageFormat.Money(report.CostUsd));
        summary.AddRow("cost per request", UsageFormat.Money(report.AvgCostUsd));
        summary.AddRow("avg prompt tokens", UsageFormat.Number(report.AvgPromptTokens));
        summary.AddRow("avg completion tokens", UsageFormat.Number(report.AvgCompletionTokens));
        summary.AddRow("tokens (prompt / completion / cached)", $"{report.PromptTokens:#,##0} / {report.CompletionTokens:#,##0} / {report.CachedTokens:#,##0}");
        if (report.CostFromPriceTable > 0)
        {
            summary.AddRow("cost from the price table", $"{report.CostFromPriceTable:#,##0} requests");
        }

        if (report.UnpricedRequests > 0)
        {
            summary.AddRow("[yellow]no price known[/]", Markup.Escape($"{report.UnpricedRequests:#,##0} requests counted at $0 ({string.Join(", ", report.UnpricedModels)}); add them with --prices"));
        }

        console.Write(summary);
        if (report.Requests == 0)
        {
            return;
        }

        var models = new Table().Border(TableBorder.Rounded).Title("Per model")
            .AddColumn("model").AddColumn(Right("requests")).AddColumn(Right("share")).AddColumn(Right("cost")).AddColumn(Right("share of cost"))
            .AddColumn(Right("avg prompt")).AddColumn(Right("avg completion"));
        foreach (var m in report.ByModel)
        {
            models.AddRow(Markup.Escape(m.Model), $"{m.Requests:#,##0}", UsageFormat.Percent(m.RequestShare), UsageFormat.Money(m.CostUsd),
                UsageFormat.Percent(m.Share), UsageFormat.Number(m.AvgPromptTokens), UsageFormat.Number(m.AvgCompletionTokens));
        }

        console.Write(models);
        var chart = new BarChart().Width(Math.Min(console.Profile.Width, 100)).Label("[bold]Cost per model (US dollars)[/]");
        chart.ValueFormatter = (value, _) => UsageFormat.Money((decimal)value);
        for (var i = 0; i < report.ByModel.Count; i++)
        {
            chart.AddItem(Markup.Escape(report.ByModel[i].Model), (double)report.ByModel[i].CostUsd, Palette[i % Palette.Length]);
        }

        console.Write(chart);
        console.WriteLine();

        var days = new Table().Border(TableBorder.Rounded).Title("Per day (UTC)").AddColumn("date").AddColumn(Right("requests")).AddColumn(Right("cost"));
        foreach (var d in report.ByDay)
        {
            days.AddRow($"{d.Date:yyyy-MM-dd}", $"{d.Requests:#,##0}", UsageFormat.Money(d.CostUsd));
        }

        console.Write(days);
        if (report.ByDay.Count > 1)
        {
            var daily = new BarChart().Width(Math.Min(console.Profile.Width, 100)).Label("[bold]Cost per day[/]");
            daily.ValueFormatter = (value, _) => UsageFormat.Money((decimal)value);
            foreach (var d in report.ByDay.TakeLast(31))
            {
                daily.AddItem($"{d.Date:MM-dd}", (double)d.CostUsd, Color.SteelBlue);
            }

            console.Write(daily);
            console.WriteLine();
        }

        console.Write(Groups(ledger ? "Per bot" : "Per API key", ledger ? "bot" : "API key", report.ByApiKey));
        console.Write(Groups(ledger ? "Per task" : "Per app", ledger ? "task" : "app", report.ByApp));
        if (report.ByOutcome.Count > 1 || report.ByOutcome.FirstOrDefault()?.Name != "ok")
        {
            console.Write(Groups("Per outcome", "outcome", report.ByOutcome));
        }

        var latency = new Table().Border(TableBorder.Rounded).Title("Latency (nearest-rank percentiles)").AddColumn("")
            .AddColumn(Right("calls")).AddColumn(Right("p50")).AddColumn(Right("p90")).AddColumn(Right("p95")).AddColumn(Right("p99")).AddColumn(Right("max"));
        foreach (var (name, s) in new[] { (ledger ? "whole call" : "generation time", report.GenerationTimeMs), ("time to first token", report.TimeToFirstTokenMs) })
        {
            latency.AddRow(name, $"{s.Count:#,##0}", UsageFormat.Millis(s.P50), UsageFormat.Millis(s.P90), UsageFormat.Millis(s.P95), UsageFormat.Millis(s.P99), UsageFormat.Millis(s.Max));
        }

        console.Write(latency);
        var prompts = new Table().Border(TableBorder.Rounded).Title("Prompt tokens per request (nearest-rank percentiles)").AddColumn(ledger ? "task" : "app")
            .AddColumn(Right("calls")).AddColumn(Right("mean")).AddColumn(Right("p50")).AddColumn(Right("p95")).AddColumn(Right("p99")).AddColumn(Right("max"));
        foreach (var d in report.PromptTokensPerRequest)
        {
            var s = d.PromptTokens;
            prompts.AddRow(Markup.Escape(d.Name), $"{s.Count:#,##0}", UsageFormat.Number(s.Mean ?? 0), UsageFormat.Number(s.P50 ?? 0), UsageFormat.Number(s.P95 ?? 0),
                UsageFormat.Number(s.P99 ?? 0), UsageFormat.Number(s.Max ?? 0));
        }

        console.Write(prompts);
        var a = report.ProjectionAssumptions;
        var projections = new Table().Border(TableBorder.Rounded).Title("Projected cost")
            .Caption(Markup.Escape($"{a.RequestsPerUserPerDay.ToString("0.#", CultureInfo.InvariantCulture)} requests per user per day; active users: {a.ActiveUsers} ({a.ActiveUsersBasis}).\n{a.Method}."))
            .AddColumn(Right("users")).AddColumn(Right("requests per year")).AddColumn(Right("cost per month")).AddColumn(Right("cost per year"));
        foreach (var p in report.Projections)
        {
            projections.AddRow($"{p.Users:#,##0}", $"{p.RequestsPerYear:#,##0}", UsageFormat.Money(p.CostPerMonthUsd), UsageFormat.Money(p.CostPerYearUsd));
        }

        console.Write(projections);
    }

    private static Table Groups(string title, string column, IReadOnlyList<GroupUsage> groups)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title).AddColumn(column).AddColumn(Right("requests")).AddColumn(Right("cost")).AddColumn(Right("share of cost"));
        foreach (var g in groups)
        {
            table.AddRow(Markup.Escape(g.Name), $"{g.Requests:#,##0}", UsageFormat.Money(g.CostUsd), UsageFormat.Percent(g.Share));
        }

        return table;
    }

    private static TableColumn Right(string header) => new TableColumn(header).RightAligned();
}
