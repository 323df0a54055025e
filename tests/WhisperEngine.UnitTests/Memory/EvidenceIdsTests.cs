using WhisperEngine.Cli.Bench.Locomo;

namespace WhisperEngine.UnitTests.Memory;

public sealed class EvidenceIdsTests
{
    [Theory]
    [InlineData("D1:3", "D1:3")]
    [InlineData("D8:6; D9:17", "D8:6|D9:17")]
    [InlineData("D:11:26", "D11:26")]
    [InlineData("D30:05", "D30:5")]
    [InlineData(" D2 : 7 ", "D2:7")]
    [InlineData("D", "")]
    [InlineData("", "")]
    public void Normalise_AnnotatedId_CanonicalIds(string raw, string expected)
    {
        var ids = EvidenceIds.Normalise([raw]);

        Assert.Equal(expected, string.Join('|', ids));
    }

    [Fact]
    public void Normalise_RepeatedIds_KeptOnceInOrder()
    {
        Assert.Equal(["D2:1", "D1:4"], EvidenceIds.Normalise(["D2:1", "D1:04", "D2:01"]));
    }

    [Theory]
    [InlineData("1:56 pm on 8 May, 2023", 2023, 5, 8, 13, 56)]
    [InlineData("10:37 am on 27 June, 2023", 2023, 6, 27, 10, 37)]
    public void ParseDate_LocomoSessionDate_Parsed(string text, int year, int month, int day, int hour, int minute)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), LocomoReader.ParseDate(text));
    }
}
