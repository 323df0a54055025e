namespace WhisperEngine.Hosting.Configuration;

/// <summary>The type of a setting, which decides how its text is parsed and shown.</summary>
public enum SettingKind
{
    Text,
    Secret,
    Url,
    Integer,
    Number,
    Boolean,
    Choice,
    List,
}
