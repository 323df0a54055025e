using WhisperEngine.Core.Yaml;

namespace WhisperEngine.Core.Characters;

/// <summary>A character file is malformed; <see cref="Problems"/> names file, line and field of each problem.</summary>
public sealed class CharacterValidationException : Exception
{
    public CharacterValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public CharacterValidationException()
        : this([])
    {
    }

    public CharacterValidationException(string message)
        : base(message)
    {
        Problems = [];
    }

    public CharacterValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
