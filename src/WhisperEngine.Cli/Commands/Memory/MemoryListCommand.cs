using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary><c>whisperengine memory list --user U</c>: the newest memories of a person, with where and when they were said.</summary>
internal static class MemoryListCommand
{
    public static Command Create(GlobalOptions global)
    {
        var who = new UserOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many memories, newest first", DefaultValueFactory = _ => 20, HelpName = "n" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--limit must be 1 or more");
            }
        });
        var command = new Command("list", "List a person's memories, newest first: bot, when, where (DM or channel), speaker, text, importance, embedding model.");
        who.AddTo(command);
        command.Options.Add(limit);
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            await using var host = MemoryCommandHost.Open(global, result);
            var scope = host.Scope(who, result);
            var inventory = await host.RequireUserAsync(scope, cancellationToken);
            var catalog = host.Catalog;
            var max = result.GetValue(limit);
            var records = new List<MemoryRecord>();
            foreach (var partition in await catalog.ListPartitionsAsync(scope.TenantId, scope.BotId, scope.UserId, cancellationToken))
            {
                records.AddRange(await catalog.ListAsync(partition, max, cancellationToken));
            }

            var total = inventory.Sections.Where(s => s.Name == "memories").SelectMany(s => s.Tables).Where(t => t.Table == "memories").Sum(t => t.Rows);
            if (records.Count == 0)
            {
                Console.Out.WriteLine($"No memories of {scope.UserId}{(scope.BotId is null ? "" : $" with {scope.BotId}")}; " +
                    $"{inventory.TotalRows:#,##0} other rows are kept (memory export shows them).");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"Memories of {scope.UserId} (tenant {scope.TenantId}): newest {Math.Min(max, records.Count)} of {total:#,##0}"))
                .AddColumn(new TableColumn("id").RightAligned()).AddColumn("bot").AddColumn("said (UTC)").AddColumn("where").AddColumn("speaker")
                .AddColumn("memory").AddColumn(new TableColumn("imp.").RightAligned()).AddColumn("vector");
            foreach (var r in records.OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id).Take(max))
            {
                table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Partition.BotId), MemoryTables.When(r.OccurredAt),
                    Markup.Escape(MemoryTables.Where(r)), Markup.Escape(r.Speaker), Markup.Escape(r.Text),
                    r.Importance.ToString("0.00", CultureInfo.InvariantCulture), Markup.Escape(r.EmbeddingModel ?? "none"));
            }

            MemoryConsole.Out.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
