using WhisperEngine.Memory;

namespace WhisperEngine.UnitTests.Memory;

public sealed class MemoryOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        new MemoryOptions().Validate();
    }

    [Fact]
    public void Validate_ZeroPool_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MemoryOptions { CandidatePool = 0 }.Validate());

        Assert.Contains("memory.CandidatePool", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BothWeightsZero_Fails()
    {
        Assert.Throws<ArgumentException>(() => new MemoryOptions { DenseWeight = 0, KeywordWeight = 0 }.Validate());
    }

    [Fact]
    public void Validate_UnknownKeywordIndex_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MemoryOptions { KeywordIndex = (WhisperEngine.Memory.Keywords.KeywordIndexMode)7 }.Validate());

        Assert.Contains("memory.KeywordIndex", ex.Message, StringComparison.Ordinal);
    }
}
