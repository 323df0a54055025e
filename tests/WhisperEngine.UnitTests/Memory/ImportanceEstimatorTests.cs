using WhisperEngine.Memory.Writing;

namespace WhisperEngine.UnitTests.Memory;

public sealed class ImportanceEstimatorTests
{
    [Theory]
    [InlineData("Thanks!")]
    [InlineData("haha ok")]
    [InlineData("Good night, see ya soon")]
    public void Estimate_SmallTalk_FarBelowNeutral(string text)
    {
        Assert.True(ImportanceEstimator.Estimate(text) <= 0.15f, text);
    }

    [Fact]
    public void Estimate_DisclosureWithLifeEventNameAndDate_AboveNeutral()
    {
        var importance = ImportanceEstimator.Estimate("I got engaged to Priya in Lisbon last June and I'm so happy about it.");

        Assert.True(importance >= 0.8f, importance.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Estimate_MoreSignals_NeverLower()
    {
        var plain = ImportanceEstimator.Estimate("The weather was fine and the bus was on time again.");
        var personal = ImportanceEstimator.Estimate("My weather app was fine and I caught the bus on time again.");
        var emotional = ImportanceEstimator.Estimate("My weather app was fine and I was so anxious I caught the bus on time again.");

        Assert.True(personal > plain);
        Assert.True(emotional > personal);
    }

    [Fact]
    public void Estimate_SentenceStartCapitals_AreNotNames()
    {
        var sentences = ImportanceEstimator.Estimate("Today was long. Work was busy. Dinner was late.");
        var names = ImportanceEstimator.Estimate("Today was long. Work with Sam was busy. Dinner with Ana was late.");

        Assert.True(names > sentences);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ...  ")]
    public void Estimate_NoWords_Minimum(string text)
    {
        Assert.Equal(0.05f, ImportanceEstimator.Estimate(text));
    }

    [Fact]
    public void Estimate_AlwaysWithinBounds()
    {
        var everything = string.Join(' ', Enumerable.Repeat("I love my wife Anna, we married on 3 June 2020 and moved to Porto; I was so happy and proud.", 5));

        Assert.InRange(ImportanceEstimator.Estimate(everything), 0.05f, 0.95f);
    }
}
