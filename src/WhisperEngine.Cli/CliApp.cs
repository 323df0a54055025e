using System.CommandLine;
using Spectre.Console;
using WhisperEngine.Cli.Commands;
using WhisperEngine.Cli.Commands.Memory;
using WhisperEngine.Core.Characters;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Usage;

namespace WhisperEngine.Cli;

/// <summary>The <c>whisperengine</c> command tree.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("WhisperEngine: AI characters with long-term memory, in the terminal, over an OpenAI-compatible API and on Discord.");
        global.AddTo(root);
        root.Subcommands.Add(ChatCommand.Create(global));
        root.Subcommands.Add(ServeCommand.Create(global));
        root.Subcommands.Add(RunCommand.Create(global));
        root.Subcommands.Add(ConfigCommand.Create(global));
        root.Subcommands.Add(CharactersCommand.Create(global));
        root.Subcommands.Add(MigrateCommand.Create(global));
        root.Subcommands.Add(UsageCommand.Create(global));
        root.Subcommands.Add(MemoryCommand.Create(global));
        root.Subcommands.Add(BenchCommand.Create());
        var parse = root.Parse(args);
        // Ctrl+C is ours: chat stops the current reply with it; serve shuts down through the host lifetime.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    /// <summary>Runs a command body, turning known failures into clear messages and exit codes, never stack traces.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ConfigurationException ex)
        {
            Error("Invalid configuration:");
            foreach (var problem in ex.Problems)
            {
                Console.Error.WriteLine("  " + problem);
            }

            return ExitCodes.InvalidConfiguration;
        }
        catch (CharacterValidationException ex)
        {
            Error("Invalid character files:");
            foreach (var problem in ex.Problems)
            {
                Console.Error.WriteLine("  " + problem);
            }

            return ExitCodes.InvalidCharacters;
        }
        catch (Hosting.Migration.MigrationException ex)
        {
            Error(ex.Message);
            return ExitCodes.Failed;
        }
        catch (UsageDataException ex)
        {
            Error(ex.Message);
            return ExitCodes.InvalidData;
        }
        catch (MemoryCommandException ex)
        {
            Error(ex.Message);
            return ex.ExitCode;
        }
        catch (Core.Privacy.UserDataException ex)
        {
            Error(ex.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Core.Storage.StorageException)
        {
            Error(ex.Message);
            return ExitCodes.Failed;
        }
    }

    public static void Error(string message)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine("error: " + message);
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.MarkupLine("[red]error:[/] " + Markup.Escape(message));
        }
    }
}
