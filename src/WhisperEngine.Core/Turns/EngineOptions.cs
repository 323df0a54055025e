namespace WhisperEngine.Core.Turns;

/// <summary>Settings of the turn pipeline (config section <c>engine</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>Longest accepted user message, in characters.</summary>
    public int MaxInputChars { get; set; } = 8_000;

    /// <summary>Budget for the whole prompt, in tokens; the tier profile sets it.</summary>
    public int MaxPromptTokens { get; set; } = 6_000;

    /// <summary>Stored messages read per turn before the budget cut.</summary>
    public int HistoryMessages { get; set; } = 100;

    /// <summary>Reply length when the character does not set one.</summary>
    public int DefaultMaxOutputTokens { get; set; } = 800;

    /// <summary>The configured chat model (null: the character's preferred models).</summary>
    public string? DefaultModel { get; set; }
}
