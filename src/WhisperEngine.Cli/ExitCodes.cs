namespace WhisperEngine.Cli;

/// <summary>Process exit codes, stable for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidConfiguration = 2;
    public const int NotConfigured = 3;
    public const int InvalidCharacters = 4;

    /// <summary>Input data (a usage export, a price table) is missing or malformed.</summary>
    public const int InvalidData = 5;

    /// <summary>The user, bot or data asked for is not there (memory commands).</summary>
    public const int NotFound = 6;

    /// <summary>A destructive command was not confirmed; nothing was changed.</summary>
    public const int NotConfirmed = 7;
}
