namespace WhisperEngine.Core.Recall;

/// <summary>How much of the prompt the context sections may take, and how long the pipeline waits for them.</summary>
public sealed class TurnContextOptions
{
    /// <summary>Tokens of the prompt budget (<c>engine.max_prompt_tokens</c>) the sections may use together; history gets the rest.</summary>
    public int MaxPromptTokens { get; set; } = 1_000;

    /// <summary>Longest wait for the providers; a late one is left out of this turn's prompt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);
}
