using WhisperEngine.Core.Context;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>One token per four characters, rounded up: predictable numbers for budget tests.</summary>
public sealed class FakeTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => (text.Length + 3) / 4;
}
