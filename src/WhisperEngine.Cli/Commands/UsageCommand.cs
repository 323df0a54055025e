using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using WhisperEngine.Core.Storage;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Storage.Sqlite;
using WhisperEngine.Usage;
using WhisperEngine.Usage.Charts;
using WhisperEngine.Usage.Export;
using WhisperEngine.Usage.OpenRouter;
using WhisperEngine.Usage.Pricing;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine usage report</c>: cost and usage over the ledger or an OpenRouter activity export.</summary>
internal static class UsageCommand
{
    public static Command Create(GlobalOptions global)
    {
        var openRouter = new Option<string?>("--openrouter")
        {
            Description = "Report over an OpenRouter activity export (the activity page's CSV) instead of this home's usage ledger",
            HelpName = "csv",
        };
        var format = new Option<string>("--format") { Description = "table, json or csv (per-model rows)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var chart = new Option<string?>("--chart") { Description = "Also write a chart of the cost per model: a .png image or an .html page", HelpName = "file" };
        chart.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } path && !UsageChart.IsSupported(path))
            {
                r.AddError($"--chart {path}: the file must end in .png or .html");
            }
        });
        var since = BoundOption("--since", "Calls from this UTC date or time on: 2025-09-13 or 2025-09-13T18:00:00Z");
        var until = BoundOption("--until", "Calls up to this UTC date, inclusive (2025-09-13), or before this time (2025-09-13T18:00:00Z)");
        var prices = new Option<string?>("--prices")
        {
            Description = "Prices for calls whose cost was not reported: a YAML table like configs/prices.yaml, or OpenRouter's models list (the JSON of /api/v1/models)",
            HelpName = "file",
        };
        var users = new Option<int?>("--users") { Description = "Active users the data stands for, for the projections (default: distinct users in the data, else 1)", HelpName = "n" };
        users.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--users must be 1 or more");
            }
        });

        var report = new Command("report", "Requests, cost, tokens, latency percentiles and yearly projections, per model, day, API key and app.")
        {
            openRouter, format, chart, since, until, prices, users,
        };
        report.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var options = new UsageReportOptions
            {
                ActiveUsers = result.GetValue(users),
                Since = Bound(result.GetValue(since), upper: false),
                Until = Bound(result.GetValue(until), upper: true),
            };
            var table = LoadPrices(result.GetValue(prices));
            UsageReport built;
            if (result.GetValue(openRouter) is { } csv)
            {
                var samples = SamplePricing.Apply(OpenRouterActivityReader.ReadFile(csv), table);
                built = UsageReportBuilder.Build(samples, csv, "openrouter", options);
            }
            else
            {
                built = await FromLedgerAsync(global, result, table, options, cancellationToken);
            }

            Write(built, result.GetValue(format)!, result.GetValue(chart));
            return ExitCodes.Ok;
        }));
        return new Command("usage", "Model usage and cost.") { report, UsageSimulateCommand.Create() };
    }

    private static async Task<UsageReport> FromLedgerAsync(GlobalOptions global, ParseResult result, PriceTable prices, UsageReportOptions options,
        CancellationToken cancellationToken)
    {
        var settings = ConfigurationLoader.Load(global.Request(result)).Values;
        if (settings.StorageProvider != "sqlite")
        {
            throw new StorageException($"usage report reads the SQLite ledger; storage.provider is '{settings.StorageProvider}'", false);
        }

        if (!File.Exists(settings.SqlitePath))
        {
            throw new UsageDataException(settings.SqlitePath, 0,
                "no usage ledger here: no model has been called with this home yet (choose one with --home, or report over an export with --openrouter)");
        }

        using var db = new SqliteDatabase(new SqliteStoreOptions { Path = settings.SqlitePath, Synchronous = settings.SqliteSynchronous });
        db.Migrate();
        var ledger = new SqliteUsageLedger(db, NullLogger<SqliteUsageLedger>.Instance);
        var samples = new List<UsageSample>();
        await foreach (var record in ledger.ReadAsync(options.Since, options.Until, cancellationToken))
        {
            samples.Add(UsageSample.FromRecord(record));
        }

        // The operator's llm.prices come before the shipped table; --prices before both.
        var configured = new PriceTable(settings.Chat.Prices);
        return UsageReportBuilder.Build(SamplePricing.Apply(samples, Shipped().With(configured).With(prices)), settings.SqlitePath, "ledger", options);
    }

    private static PriceTable LoadPrices(string? file) => file is null ? Shipped() : Shipped().With(PriceTable.Load(file));

    private static PriceTable Shipped()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "configs", "prices.yaml");
        return File.Exists(path) ? PriceTable.Load(path) : PriceTable.Empty;
    }

    private static void Write(UsageReport report, string format, string? chart)
    {
        switch (format)
        {
            case "json":
                using (var stdout = Console.OpenStandardOutput())
                {
                    UsageReportJson.Write(report, stdout);
                }

                break;
            case "csv":
                UsageReportCsv.Write(report, Console.Out);
                Console.Out.Flush();
                break;
            default:
                UsageReportTerminal.Write(report, AnsiConsole.Console);
                break;
        }

        if (chart is not null)
        {
            UsageChart.Write(report, chart);
            // On stderr, so that --format json|csv output stays clean on stdout.
            Console.Error.WriteLine($"Chart written to {Path.GetFullPath(chart)}");
        }
    }

    private static Option<string?> BoundOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "date" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && Bound(text, upper: false) is null)
            {
                r.AddError($"{name} {text}: expected a date such as 2025-09-13 or a time such as 2025-09-13T18:00:00Z");
            }
        });
        return option;
    }

    /// <summary>A date means its whole UTC day: from its start for --since, to the start of the next day for --until.</summary>
    private static DateTimeOffset? Bound(string? text, bool upper)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset((upper ? date.AddDays(1) : date).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }
}
