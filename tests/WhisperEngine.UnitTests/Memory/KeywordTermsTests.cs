using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class KeywordTermsTests
{
    [Fact]
    public void Extract_Question_KeepsTopicWordsLowerCasedOnce()
    {
        var terms = KeywordTerms.Extract("When did Caroline go to the LGBTQ support group? Did Caroline's group meet?");

        Assert.Equal(["caroline", "go", "lgbtq", "support", "group", "meet"], terms);
    }

    [Fact]
    public void Extract_SyntaxCharacters_NeverReachTheTerms()
    {
        var terms = KeywordTerms.Extract("\"NEAR(a b)\" OR x* AND col:y -z");

        Assert.All(terms, t => Assert.Matches("^[a-z0-9]+$", t));
        Assert.Contains("near", terms);
    }

    [Fact]
    public void Extract_OnlyStopwords_ReturnsEmpty()
    {
        Assert.Empty(KeywordTerms.Extract("What did you do?"));
    }
}
