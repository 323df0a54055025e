namespace WhisperEngine.Hosting.Configuration;

/// <summary>One known setting: its dotted key, type, default and limits.</summary>
/// <param name="Key">Dotted key as written in YAML (<c>llm.chat.model</c>).</param>
/// <param name="Kind">How the value is parsed.</param>
/// <param name="Default">Built-in default as text; null for none. <c>auto</c> means computed from the detected resources.</param>
/// <param name="Description">One line for <c>config show</c> and error messages.</param>
public sealed record SettingDefinition(string Key, SettingKind Kind, string? Default, string Description)
{
    public double Min { get; init; } = double.MinValue;
    public double Max { get; init; } = double.MaxValue;
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>True when <c>auto</c> is accepted and resolved from the resource plan.</summary>
    public bool AllowsAuto { get; init; }

    /// <summary>Environment variable names WhisperEngine v1 users already have, mapped onto this setting.</summary>
    public IReadOnlyList<string> LegacyEnvironment { get; init; } = [];

    /// <summary>The environment variable that sets this key: <c>WHISPERENGINE_LLM__CHAT__MODEL</c>.</summary>
    public string EnvironmentName => "WHISPERENGINE_" + Key.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();
}
