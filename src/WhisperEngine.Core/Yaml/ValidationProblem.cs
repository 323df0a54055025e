namespace WhisperEngine.Core.Yaml;

/// <summary>One thing wrong with a file, located precisely enough to fix it.</summary>
/// <param name="File">The file, as given.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Field">The dotted field path (<c>generation.temperature</c>), empty for syntax errors.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ValidationProblem(string File, int Line, int Column, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Field.Length > 0 ? $"{where}: '{Field}': {Message}" : $"{where}: {Message}";
    }
}
