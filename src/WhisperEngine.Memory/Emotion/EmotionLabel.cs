namespace WhisperEngine.Memory.Emotion;

/// <summary>The emotions <see cref="EmotionClassifier"/> tells apart. Stored in lower case (<c>joy</c>, <c>sadness</c>, ...).</summary>
public enum EmotionLabel
{
    /// <summary>No clear emotion.</summary>
    Neutral,

    /// <summary>Happiness, excitement, pride, relief.</summary>
    Joy,

    /// <summary>Sadness, loneliness, disappointment, grief.</summary>
    Sadness,

    /// <summary>Anger, annoyance, frustration.</summary>
    Anger,

    /// <summary>Fear, worry, anxiety, stress.</summary>
    Fear,

    /// <summary>Surprise, astonishment.</summary>
    Surprise,

    /// <summary>Love, warmth, gratitude towards someone.</summary>
    Affection,
}
