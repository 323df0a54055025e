namespace WhisperEngine.Hosting.Configuration;

/// <summary>One source of settings (defaults, a tier profile, the user's file, the environment, flags).</summary>
public sealed class ConfigLayer(string name)
{
    public string Name { get; } = name;

    public Dictionary<string, ConfigValue> Values { get; } = new(StringComparer.Ordinal);
}
