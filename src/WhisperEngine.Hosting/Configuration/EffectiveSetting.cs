namespace WhisperEngine.Hosting.Configuration;

/// <summary>A setting's effective value, ready to show: secrets masked, lists joined, with its source.</summary>
public sealed record EffectiveSetting(string Key, string Display, string Source, bool IsSecret);
