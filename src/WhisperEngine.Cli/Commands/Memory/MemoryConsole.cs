using Spectre.Console;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>Standard output of the memory commands: the terminal as detected, or plain and wide when redirected.</summary>
internal static class MemoryConsole
{
    /// <summary>
    /// When standard output is a file or a pipe (scripts), tables come without colour or cursor codes and 200 columns
    /// wide, so that a memory's text stays on one line where it fits.
    /// </summary>
    public static IAnsiConsole Out { get; } = Create();

    private static IAnsiConsole Create()
    {
        if (!Console.IsOutputRedirected)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = 200;
        return console;
    }
}
