using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>The validated configuration of one process, with where every value came from.</summary>
public sealed class LoadedConfiguration
{
    public required string Home { get; init; }
    public string? ConfigFile { get; init; }
    public required string Tier { get; init; }
    public required string TierReason { get; init; }
    public required string ProfileFile { get; init; }
    public required DetectedEnvironment Environment { get; init; }
    public required ResourcePlan Plan { get; init; }
    public required IReadOnlyList<EffectiveSetting> Settings { get; init; }
    public required WhisperEngineSettings Values { get; init; }
}
