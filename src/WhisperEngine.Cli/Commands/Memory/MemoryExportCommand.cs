using System.CommandLine;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// <c>whisperengine memory export --user U [--out file.json]</c>: everything kept about a person as one JSON document
/// (format <c>whisperengine.user-data</c>, version 1; the shape is in docs/memory.md).
/// </summary>
internal static class MemoryExportCommand
{
    public static Command Create(GlobalOptions global)
    {
        var who = new UserOptions();
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file (default: standard output)", HelpName = "file.json" };
        var command = new Command("export", "Export everything kept about a person as JSON: conversations with their messages, memories, usage rows, facts and relationship data.");
        who.AddTo(command);
        command.Options.Add(output);
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            await using var host = MemoryCommandHost.Open(global, result);
            var scope = host.Scope(who, result);
            var inventory = await host.RequireUserAsync(scope, cancellationToken);
            if (result.GetValue(output) is { } path)
            {
                var full = Path.GetFullPath(path);
                var temporary = full + ".partial";
                await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    await host.UserData.ExportAsync(scope, file, cancellationToken);
                }

                // Whole or not at all: a cancelled export leaves no truncated file under the asked-for name.
                File.Move(temporary, full, overwrite: true);
                // On standard error, like every message of a command whose data may go to standard output.
                Console.Error.WriteLine($"Exported {inventory.TotalRows:#,##0} rows about {scope.UserId} ({string.Join(", ", host.UserData.Sections)}) to {full} " +
                    $"({new FileInfo(full).Length:#,##0} bytes).");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await host.UserData.ExportAsync(scope, stdout, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
