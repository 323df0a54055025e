using WhisperEngine.Usage;
using WhisperEngine.Usage.OpenRouter;

namespace WhisperEngine.UnitTests.Usage;

public sealed class OpenRouterActivityReaderTests
{
    private const string Header = "generation_id,created_at,cost_total,tokens_prompt,tokens_completion,model_permaslug,provider_name,generation_time_ms,time_to_first_token_ms,app_name,api_key_name";

    private static IReadOnlyList<UsageSample> Read(string csv) => OpenRouterActivityReader.Read(new StringReader(csv), "test.csv");

    private static UsageDataException ReadFails(string csv) => Assert.Throws<UsageDataException>(() => Read(csv));

    [Fact]
    public void Read_PlainRows_MapsEveryColumn()
    {
        var samples = Read(Header + "\ngen-1,2025-09-13 21:47:33.990,0.00119,213,67,openai/gpt-4o,OpenAI,324,840,MyApp,Dream\n");

        var s = Assert.Single(samples);
        Assert.Equal(new DateTimeOffset(2025, 9, 13, 21, 47, 33, 990, TimeSpan.Zero), s.Timestamp);
        Assert.Equal(0.00119m, s.CostUsd);
        Assert.Equal(213, s.PromptTokens);
        Assert.Equal(67, s.CompletionTokens);
        Assert.Equal("openai/gpt-4o", s.Model);
        Assert.Equal("OpenAI", s.Provider);
        Assert.Equal(324, s.GenerationTimeMs);
        Assert.Equal(840, s.TimeToFirstTokenMs);
        Assert.Equal("MyApp", s.App);
        Assert.Equal("Dream", s.ApiKey);
        Assert.Equal("ok", s.Outcome);
    }

    [Fact]
    public void Read_QuotedFieldsWithCommasNewlinesAndQuotes_KeepsEachFieldWhole()
    {
        var csv = Header + "\n" +
            "gen-1,2025-09-13 10:00:00,0.5,10,20,\"vendor/model, large\",P,1,2,\"My \"\"best\"\" app\",\"key\nwith a line break\"\n" +
            "gen-2,2025-09-13 11:00:00,0.25,1,2,m2,P,1,2,,\"\"\n";

        var samples = Read(csv);

        Assert.Equal(2, samples.Count);
        Assert.Equal("vendor/model, large", samples[0].Model);
        Assert.Equal("My \"best\" app", samples[0].App);
        Assert.Equal("key\nwith a line break", samples[0].ApiKey);
        Assert.Equal("m2", samples[1].Model);
        Assert.Equal("", samples[1].ApiKey);
    }

    [Fact]
    public void Read_ColumnsInAnotherOrderWithUnknownOnes_MapsByHeaderName()
    {
        var samples = Read("model_permaslug,extra,tokens_completion,cost_total,created_at,tokens_prompt\r\nm,x,5,0.1,2025-01-02T03:04:05Z,7\r\n");

        var s = Assert.Single(samples);
        Assert.Equal("m", s.Model);
        Assert.Equal(5, s.CompletionTokens);
        Assert.Equal(7, s.PromptTokens);
        Assert.Equal(0.1m, s.CostUsd);
        Assert.Null(s.GenerationTimeMs);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), s.Timestamp);
    }

    [Fact]
    public void Read_ByteOrderMarkAndBlankLines_AreIgnored()
    {
        var samples = Read("\uFEFF" + Header + "\n\ngen-1,2025-09-13 10:00:00,0.5,10,20,m,P,1,2,,\n\n");

        Assert.Equal("m", Assert.Single(samples).Model);
    }

    [Fact]
    public void Read_EmptyCost_LeavesCostUnknown()
    {
        var samples = Read(Header + "\ngen-1,2025-09-13 10:00:00,,10,20,m,P,,,,\n");

        Assert.Null(Assert.Single(samples).CostUsd);
        Assert.Null(samples[0].TimeToFirstTokenMs);
    }

    [Fact]
    public void Read_MissingRequiredColumn_ThrowsNamingColumnFileAndLine()
    {
        var ex = ReadFails("generation_id,created_at,tokens_prompt,tokens_completion,model_permaslug\ngen-1,2025-09-13 10:00:00,1,2,m\n");

        Assert.Equal("test.csv", ex.File);
        Assert.Equal(1, ex.Line);
        Assert.Contains("'cost_total'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.csv:1:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RowWithTooManyFields_ThrowsWithLineCountedAcrossQuotedNewlines()
    {
        var csv = Header + "\n" +
            "gen-1,2025-09-13 10:00:00,0.5,10,20,m,P,1,2,\"two\nlines\",k\n" +
            "gen-2,2025-09-13 10:00:00,0.5,10,20,m,P,1,2,app,k,surplus\n";

        var ex = ReadFails(csv);

        Assert.Equal(4, ex.Line);
        Assert.Contains("12 fields where the header has 11", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuoteNeverClosed_ThrowsAtTheLineItOpened()
    {
        var ex = ReadFails(Header + "\ngen-1,2025-09-13 10:00:00,0.5,10,20,m,P,1,2,app,k\ngen-2,2025-09-13 10:00:00,0.5,10,20,\"m,P,1,2,app,k\n");

        Assert.Equal(3, ex.Line);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextAfterClosingQuote_Throws()
    {
        var ex = ReadFails(Header + "\ngen-1,2025-09-13 10:00:00,0.5,10,20,\"m\"x,P,1,2,app,k\n");

        Assert.Equal(2, ex.Line);
        Assert.Contains("after a closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuoteInsideUnquotedField_Throws()
    {
        var ex = ReadFails(Header + "\ngen-1,2025-09-13 10:00:00,0.5,10,20,m\"odel,P,1,2,app,k\n");

        Assert.Equal(2, ex.Line);
    }

    [Theory]
    [InlineData("gen-1,2025-09-13 10:00:00,0.5,ten,20,m,P,1,2,app,k", "tokens_prompt")]
    [InlineData("gen-1,2025-09-13 10:00:00,0.5,10,-2,m,P,1,2,app,k", "tokens_completion")]
    [InlineData("gen-1,2025-09-13 10:00:00,lots,10,20,m,P,1,2,app,k", "cost_total")]
    [InlineData("gen-1,yesterday,0.5,10,20,m,P,1,2,app,k", "created_at")]
    [InlineData("gen-1,2025-09-13 10:00:00,0.5,10,20,m,P,fast,2,app,k", "generation_time_ms")]
    [InlineData("gen-1,2025-09-13 10:00:00,0.5,10,20,,P,1,2,app,k", "model_permaslug")]
    public void Read_BadValue_ThrowsNamingColumnAndLine(string row, string column)
    {
        var ex = ReadFails(Header + "\n" + row + "\n");

        Assert.Equal(2, ex.Line);
        Assert.Contains($"column '{column}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyInput_ThrowsAskingForHeader()
    {
        var ex = ReadFails("");

        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_MissingFile_ThrowsNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "we-no-such-" + Guid.NewGuid().ToString("N") + ".csv");

        var ex = Assert.Throws<UsageDataException>(() => OpenRouterActivityReader.ReadFile(path));

        Assert.Equal(path + ": file not found", ex.Message);
    }
}
