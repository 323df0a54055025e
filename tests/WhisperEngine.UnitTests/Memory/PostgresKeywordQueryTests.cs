using WhisperEngine.Memory.Postgres;

namespace WhisperEngine.UnitTests.Memory;

public sealed class PostgresKeywordQueryTests
{
    [Fact]
    public void Idf_RareWord_HighCommonWordFloored()
    {
        var rare = KeywordQuery.Idf(memories: 1_000, documentFrequency: 3, background: 100);
        var half = KeywordQuery.Idf(memories: 1_000, documentFrequency: 550, background: 100);
        var most = KeywordQuery.Idf(memories: 1_000, documentFrequency: 900, background: 100);

        Assert.Equal(Math.Log((1_100 - 3 + 0.5) / 3.5), rare, 12);
        Assert.Equal(KeywordQuery.MinIdf, half);
        Assert.Equal(KeywordQuery.MinIdf, most);
    }

    [Fact]
    public void Idf_NewPersonsOnlyMemory_StillInformative()
    {
        // Without the background a word in the only memory would be in "every memory" and never searchable.
        Assert.Equal(KeywordQuery.MinIdf, KeywordQuery.Idf(memories: 1, documentFrequency: 1, background: 0));
        Assert.True(KeywordQuery.Idf(memories: 1, documentFrequency: 1, background: 100) > 1);
    }

    [Fact]
    public void Operand_QuotesAndBackslashes_Escaped()
    {
        Assert.Equal("'zanzibar'", KeywordQuery.Operand("zanzibar"));
        Assert.Equal("'it''s':AC", KeywordQuery.Operand("it's", "AC"));
        Assert.Equal(@"'a\\b'", KeywordQuery.Operand(@"a\b"));
    }

    [Fact]
    public void Match_Lexemes_PartitionAndAnyWordInTextOrContext()
    {
        Assert.Equal("'p42':D & ('pari':AC | 'marathon':AC)", KeywordQuery.Match(42, ["pari", "marathon"]));
    }
}
