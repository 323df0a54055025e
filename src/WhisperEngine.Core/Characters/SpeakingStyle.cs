namespace WhisperEngine.Core.Characters;

/// <summary>How a character speaks.</summary>
public sealed record SpeakingStyle
{
    public string? Tone { get; init; }
    public IReadOnlyList<string> Traits { get; init; } = [];
    public IReadOnlyList<string> Guidelines { get; init; } = [];
}
