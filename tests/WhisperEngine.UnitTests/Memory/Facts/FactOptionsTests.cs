using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.UnitTests.Memory.Facts;

public sealed class FactOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        new FactOptions().Validate();
        new ConsolidationOptions().Validate();
    }

    [Fact]
    public void Validate_OutOfRange_NamesTheSetting()
    {
        Assert.Contains("memory.facts.min_confidence", Assert.Throws<ArgumentException>(() => new FactOptions { MinConfidence = 1.5 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("memory.facts.every_n_messages", Assert.Throws<ArgumentException>(() => new FactOptions { EveryNMessages = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("memory.consolidation.min_memories", Assert.Throws<ArgumentException>(() => new ConsolidationOptions { MinMemories = 1 }.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameValue_CaseSpacingAndFinalPunctuation_Ignored()
    {
        Assert.True(FactRules.SameValue("Lisbon", " lisbon. "));
        Assert.True(FactRules.SameValue("New  York", "new york"));
        Assert.False(FactRules.SameValue("Lisbon", "Porto"));
    }
}
