namespace WhisperEngine.Hosting.Configuration;

/// <summary>Inputs of configuration loading, all explicit so that tests are hermetic.</summary>
public sealed class ConfigLoadRequest
{
    /// <summary><c>--home</c>; null: <c>WHISPERENGINE_HOME</c>, else <c>~/.whisperengine</c>.</summary>
    public string? Home { get; init; }

    /// <summary><c>--config</c>; null: <c>WHISPERENGINE_CONFIG</c>, else <c>&lt;home&gt;/config.yaml</c> when it exists.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>--tier</c>.</summary>
    public string? Tier { get; init; }

    /// <summary>Settings given as flags (<c>--urls</c>, <c>--set key=value</c>), with the flag that set each.</summary>
    public IReadOnlyDictionary<string, (string Value, string Flag)> Overrides { get; init; } = new Dictionary<string, (string, string)>();

    /// <summary>Directory holding the tier profiles (<c>desktop.yaml</c>, ...).</summary>
    public string ProfilesDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "configs");

    /// <summary>Directory of the characters shipped with the program.</summary>
    public string BuiltInCharactersDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "characters");

    /// <summary>Environment variables.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>All environment variable names (to find <c>WHISPERENGINE_*</c> settings).</summary>
    public Func<IEnumerable<string>> EnvironmentVariableNames { get; init; } =
        () => System.Environment.GetEnvironmentVariables().Keys.Cast<string>();

    /// <summary>Environment detection; replaced in tests.</summary>
    public Func<string, Detection.DetectedEnvironment>? DetectEnvironment { get; init; }
}
