using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.UnitTests.Detection;

public sealed class ProcFilesTests
{
    [Fact]
    public void ParseMemTotalBytes_KilobyteLine_ReturnsBytes()
    {
        const string meminfo = """
            MemTotal:       24683620 kB
            MemFree:        23761640 kB
            MemAvailable:   24372500 kB
            """;

        Assert.Equal(24_683_620L * 1024, ProcFiles.ParseMemTotalBytes(meminfo));
    }

    [Fact]
    public void ParseMemTotalBytes_NotFirstLine_ReturnsBytes()
    {
        Assert.Equal(2048L * 1024, ProcFiles.ParseMemTotalBytes("MemFree: 1 kB\nMemTotal: 2048 kB\n"));
    }

    [Fact]
    public void ParseMemTotalBytes_NoUnit_ReturnsValueAsBytes()
    {
        Assert.Equal(4096L, ProcFiles.ParseMemTotalBytes("MemTotal: 4096\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MemFree: 1 kB")]
    [InlineData("MemTotal: lots kB")]
    [InlineData("MemTotal: -5 kB")]
    [InlineData("MemTotal: 0 kB")]
    [InlineData("MemTotal: 99999999999999999999 kB")]
    public void ParseMemTotalBytes_MissingOrGarbled_ReturnsNull(string meminfo)
    {
        Assert.Null(ProcFiles.ParseMemTotalBytes(meminfo));
    }

    [Fact]
    public void CountProcessors_CpuinfoWithFourEntries_ReturnsFour()
    {
        var cpuinfo = File.ReadAllText(Path.Join(TempTree.Sample("v2-limited"), "proc", "cpuinfo"));

        Assert.Equal(4, ProcFiles.CountProcessors(cpuinfo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("model name\t: Test CPU\n")]
    public void CountProcessors_NoEntries_ReturnsNull(string cpuinfo)
    {
        Assert.Null(ProcFiles.CountProcessors(cpuinfo));
    }

    [Fact]
    public void Quote_LongMultilineValue_IsShortenedToOneLine()
    {
        var quoted = ProcFiles.Quote(new string('x', 30) + "\n" + new string('y', 30));

        Assert.DoesNotContain('\n', quoted);
        Assert.EndsWith("...", quoted, StringComparison.Ordinal);
        Assert.Equal(43, quoted.Length);
    }
}
