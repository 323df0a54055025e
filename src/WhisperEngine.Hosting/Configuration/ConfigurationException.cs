using WhisperEngine.Core.Yaml;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>The configuration is invalid; each problem names the setting, its value's source (file and line, or variable) and what is expected.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ValidationProblem> problems)
        : base("Invalid configuration:" + System.Environment.NewLine + string.Join(System.Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public ConfigurationException()
        : this([])
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Problems = [];
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
