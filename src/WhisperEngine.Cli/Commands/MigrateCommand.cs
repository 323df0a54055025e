using System.CommandLine;
using Spectre.Console;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Hosting.Migration;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine migrate</c>: move a desktop SQLite database up to PostgreSQL, verified.</summary>
internal static class MigrateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var from = new Option<string?>("--from") { Description = "SQLite file to copy (default: the home's whisperengine.db)", HelpName = "sqlite file" };
        var to = new Option<string?>("--to")
        {
            Description = "PostgreSQL connection string (default: the configured server, POSTGRES_HOST etc.; prefer that, a password on the command line shows in ps)",
            HelpName = "connection",
        };
        var schema = new Option<string?>("--schema") { Description = "Target schema (default: storage.postgres.schema)", HelpName = "name" };
        var merge = new Option<bool>("--merge") { Description = "Add to a database that already holds other data; conversations are matched by tenant, bot, user and channel" };
        var pause = new Option<int>("--pause-ms") { Description = "Pause between batches, to spare a live server", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per batch (one transaction each)", DefaultValueFactory = _ => 2_000 };
        batchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--batch-size must be between 1 and 100000.");
            }
        });
        var command = new Command("migrate",
            "Copy everything from a SQLite database into PostgreSQL with progress, then verify row counts and checksums per table. " +
            "Safe to re-run after an interruption: it continues and never duplicates.")
        {
            from, to, schema, merge, pause, batchSize,
        };
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var configuration = ConfigurationLoader.Load(global.Request(result));
            var settings = configuration.Values;
            var connection = result.GetValue(to) ?? settings.PostgresConnectionString
                ?? throw new MigrationException("No target: pass --to \"Host=...;Database=...;Username=...\" or set POSTGRES_HOST (and POSTGRES_PASSWORD, ...).");
            var options = new MigrationOptions
            {
                SqlitePath = Path.GetFullPath(result.GetValue(from) ?? settings.SqlitePath),
                PostgresConnectionString = connection,
                Schema = result.GetValue(schema) ?? settings.PostgresSchema,
                Merge = result.GetValue(merge),
                PauseBetweenBatches = TimeSpan.FromMilliseconds(Math.Max(0, result.GetValue(pause))),
                BatchSize = result.GetValue(batchSize),
            };
            Console.Out.WriteLine($"Copying {options.SqlitePath} into PostgreSQL (schema {options.Schema})...");
            IReadOnlyList<TableReport> reports = [];
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    reports = await new StoreMigrator().RunAsync(options, new SpectreProgress(context), cancellationToken);
                });

            var table = new Table().Border(TableBorder.Rounded).Title("Verification")
                .AddColumn("table", c => c.NoWrap()).AddColumn("source rows", c => c.RightAligned()).AddColumn("target rows", c => c.RightAligned())
                .AddColumn("copied now", c => c.RightAligned()).AddColumn("source checksum").AddColumn("target checksum").AddColumn("result");
            foreach (var r in reports)
            {
                table.AddRow(r.Table, r.SourceRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    r.TargetRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    r.CopiedThisRun.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), r.SourceChecksum, r.TargetChecksum,
                    r.Matches ? "[green]equal[/]" : "[red]DIFFERENT[/]");
            }

            AnsiConsole.Write(table);
            foreach (var note in reports.Select(r => r.Note).OfType<string>())
            {
                Console.Out.WriteLine(note);
            }

            if (reports.All(r => r.Matches))
            {
                Console.Out.WriteLine("Verified: every table is equal on both sides. Point the bot at PostgreSQL (POSTGRES_HOST, ...) to use it.");
                return ExitCodes.Ok;
            }

            CliApp.Error("Verification failed: the tables marked DIFFERENT do not match. Re-run migrate to continue an interrupted copy.");
            return ExitCodes.Failed;
        }));
        return command;
    }

    private sealed class SpectreProgress(ProgressContext context) : IMigrationProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Start(string table, long total, long alreadyCopied)
        {
            var task = context.AddTask(table, maxValue: Math.Max(1, total));
            task.Value = Math.Min(alreadyCopied, total);
            if (total == 0)
            {
                task.Value = 1;
            }

            _tasks[table] = task;
        }

        public void Advance(string table, long rows) => _tasks[table].Increment(rows);
    }
}
