using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class TokenBudgetTests
{
    [Fact]
    public void Take_BudgetReached_StopsAtTheBudget()
    {
        var taken = TokenBudget.Take([40, 40, 40, 40], t => t, maxItems: 10, maxTokens: 100, out var used);

        Assert.Equal(2, taken.Count);
        Assert.Equal(80, used);
    }

    [Fact]
    public void Take_ItemLargerThanWhatIsLeft_SkippedAndSmallerLaterItemsFit()
    {
        var taken = TokenBudget.Take([50, 500, 30, 40], t => t, maxItems: 10, maxTokens: 100, out var used);

        Assert.Equal([50, 30], taken);
        Assert.Equal(80, used);
    }

    [Fact]
    public void Take_MaxItems_CapsCountWithoutBudget()
    {
        var taken = TokenBudget.Take(Enumerable.Range(1, 50), _ => 10, maxItems: 10, maxTokens: null, out var used);

        Assert.Equal(Enumerable.Range(1, 10), taken);
        Assert.Equal(100, used);
    }

    [Fact]
    public void Take_ZeroItems_TakesNothing()
    {
        Assert.Empty(TokenBudget.Take([1, 2], t => t, maxItems: 0, maxTokens: 100, out _));
    }
}
