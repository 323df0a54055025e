using Microsoft.ML.Tokenizers;
using WhisperEngine.Core.Context;

namespace WhisperEngine.AI.Tokens;

/// <summary>
/// Counts tokens with OpenAI's o200k_base encoding (GPT-4o and later; a close estimate for other model families).
/// The vocabulary loads on a background thread at construction so that the first turn does not pay for it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    private readonly Lazy<Tokenizer> _tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"), LazyThreadSafetyMode.ExecutionAndPublication);

    public TiktokenTokenCounter(bool warmUp = true)
    {
        if (warmUp)
        {
            _ = Task.Run(() => _tokenizer.Value);
        }
    }

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.Value.CountTokens(text);
}
