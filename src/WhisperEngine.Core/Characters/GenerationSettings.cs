namespace WhisperEngine.Core.Characters;

/// <summary>Sampling settings for the character's replies; null means the provider's default.</summary>
public sealed record GenerationSettings
{
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? MaxTokens { get; init; }
    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
}
