namespace WhisperEngine.Core.Usage;

/// <summary>Price of a model in US dollars per million tokens.</summary>
public sealed record ModelPrice(decimal PromptPerMillion, decimal CompletionPerMillion)
{
    public decimal Cost(int promptTokens, int completionTokens) =>
        (promptTokens * PromptPerMillion + completionTokens * CompletionPerMillion) / 1_000_000m;
}
