namespace WhisperEngine.Memory.Emotion;

/// <summary>The emotion of a message and how strongly it shows.</summary>
/// <param name="Label">The strongest emotion, <see cref="EmotionLabel.Neutral"/> when none is clear.</param>
/// <param name="Intensity">0 (none) to 1 (strong); 0 for neutral.</param>
public sealed record EmotionReading(EmotionLabel Label, double Intensity)
{
    public static EmotionReading Neutral { get; } = new(EmotionLabel.Neutral, 0);

    /// <summary>The stored form: <c>joy</c>, <c>sadness</c>, ...</summary>
    public string Name => Label.ToString().ToLowerInvariant();

    /// <summary>The label as an adjective for a prompt line: happy, sad, angry, anxious, surprised, affectionate.</summary>
    public string Adjective => Describe(Label);

    /// <summary>The adjective of a stored label name, or null when it is unknown or neutral.</summary>
    public static string? Describe(string? name) =>
        Enum.TryParse<EmotionLabel>(name, ignoreCase: true, out var label) && label != EmotionLabel.Neutral ? Describe(label) : null;

    private static string Describe(EmotionLabel label) => label switch
    {
        EmotionLabel.Joy => "happy",
        EmotionLabel.Sadness => "sad",
        EmotionLabel.Anger => "angry",
        EmotionLabel.Fear => "anxious",
        EmotionLabel.Surprise => "surprised",
        EmotionLabel.Affection => "affectionate",
        _ => "neutral",
    };
}
