namespace WhisperEngine.Usage;

/// <summary>
/// Usage data could not be read: a missing file, a malformed CSV row, a missing column, a bad price table.
/// The message names the file and, where there is one, the line.
/// </summary>
public sealed class UsageDataException : Exception
{
    public UsageDataException(string file, int line, string problem, Exception? innerException = null)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}", innerException)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public UsageDataException()
    {
        File = "";
        Problem = "";
    }

    public UsageDataException(string message)
        : base(message)
    {
        File = "";
        Problem = message;
    }

    public UsageDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Problem = message;
    }

    /// <summary>The file (or source name) that was being read.</summary>
    public string File { get; }

    /// <summary>The 1-based line where the problem is, 0 when it concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>Always false: reading the same data again fails the same way.</summary>
    public bool IsTransient => false;
}
