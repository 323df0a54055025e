using System.CommandLine;

namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>
/// <c>whisperengine memory ...</c>: what the bots keep about people. Each subcommand lives in its own file; add new ones
/// (e.g. <c>memory facts</c>) to the list here.
/// </summary>
internal static class MemoryCommand
{
    public static Command Create(GlobalOptions global) => new("memory", "What the bots remember about people: list, search, export, forget (GDPR), re-embed after a model change.")
    {
        MemoryListCommand.Create(global),
        MemorySearchCommand.Create(global),
        MemoryExportCommand.Create(global),
        MemoryForgetCommand.Create(global),
        MemoryReembedCommand.Create(global),
    };
}
