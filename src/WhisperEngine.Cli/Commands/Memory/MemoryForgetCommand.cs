using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// <c>whisperengine memory forget --user U</c>: erases everything about a person (GDPR) through the engine's one
/// erasure (<see cref="Core.Privacy.UserDataService"/>), after showing what it will delete and asking to confirm.
/// </summary>
internal static class MemoryForgetCommand
{
    public static Command Create(GlobalOptions global)
    {
        var who = new UserOptions();
        var allBots = new Option<bool>("--all-bots") { Description = "Every bot of the tenant (the default without --bot; says so explicitly in scripts)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("forget",
            "Delete everything kept about a person: conversations and messages, memories, facts and relationship data; usage rows are anonymised " +
            "(costs stay right). Then the database is compacted so that nothing of theirs is left in its files.");
        who.AddTo(command);
        command.Options.Add(allBots);
        command.Options.Add(yes);
        command.Validators.Add(r =>
        {
            if (r.GetValue(allBots) && r.GetValue(who.Bot) is not null)
            {
                r.AddError("--all-bots and --bot exclude each other: forget for one bot (--bot) or for every bot of the tenant (--all-bots)");
            }
        });
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            await using var host = MemoryCommandHost.Open(global, result);
            var scope = host.Scope(who, result);
            var inventory = await host.RequireUserAsync(scope, cancellationToken);
            var whom = $"{scope.UserId} (tenant {scope.TenantId}, {(scope.BotId is null ? "every bot" : "bot " + scope.BotId)})";
            MemoryConsole.Out.Write(MemoryTables.Rows($"Kept about {whom}", inventory.Sections, done: false));
            if (!result.GetValue(yes) && !Confirm(whom))
            {
                CliApp.Error("Not confirmed; nothing was deleted. (Answer 'yes', or pass --yes.)");
                return ExitCodes.NotConfirmed;
            }

            var report = await host.UserData.EraseAsync(scope, cancellationToken);
            MemoryConsole.Out.Write(MemoryTables.Rows($"Forgot {whom}", report.Sections, done: true));
            foreach (var line in report.Finishing)
            {
                Console.Out.WriteLine(line);
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Done in {report.Elapsed.TotalMilliseconds:0} ms: {report.TotalRows:#,##0} rows, {report.Conversations} conversations held while erasing."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static bool Confirm(string whom)
    {
        Console.Out.Write($"Delete everything above about {whom}? This cannot be undone. Type yes to confirm: ");
        Console.Out.Flush();
        var answer = Console.In.ReadLine()?.Trim();
        return string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase);
    }
}
