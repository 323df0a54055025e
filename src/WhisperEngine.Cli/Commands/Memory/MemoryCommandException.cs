namespace WhisperEngine.Cli.Commands.Memory;

/// <summary>A memory command cannot do what was asked (unknown user or bot, no database); the message says why.</summary>
internal sealed class MemoryCommandException(string message, int exitCode = ExitCodes.NotFound) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
