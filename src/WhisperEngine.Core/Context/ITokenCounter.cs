namespace WhisperEngine.Core.Context;

/// <summary>Counts tokens the way the model will, for context budgets.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface ITokenCounter
{
    /// <summary>Tokens in <paramref name="text"/>.</summary>
    int CountTokens(string text);
}
