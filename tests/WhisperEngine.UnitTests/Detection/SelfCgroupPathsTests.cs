using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.UnitTests.Detection;

public sealed class SelfCgroupPathsTests
{
    [Fact]
    public void Parse_V2Line_ReturnsUnifiedPath()
    {
        var paths = SelfCgroupPaths.Parse("0::/user.slice/user-1000.slice/session-2.scope\n");

        Assert.Equal("/user.slice/user-1000.slice/session-2.scope", paths.Unified);
        Assert.Equal("/", paths.Cpu);
        Assert.Equal("/", paths.Memory);
    }

    [Fact]
    public void Parse_V1Lines_ReturnsControllerPaths()
    {
        const string content = """
            12:pids:/docker/abc
            4:memory:/docker/abc
            3:cpu,cpuacct:/docker/abc
            1:name=systemd:/docker/abc
            0::/
            """;

        var paths = SelfCgroupPaths.Parse(content);

        Assert.Equal("/docker/abc", paths.Cpu);
        Assert.Equal("/docker/abc", paths.Memory);
        Assert.Equal("/", paths.Unified);
    }

    [Fact]
    public void Parse_SeparateCpuAndCpuacctHierarchies_UsesCpuLine()
    {
        var paths = SelfCgroupPaths.Parse("2:cpuacct:/acct\n1:cpu:/quota\n4:memory:/process_api/x\n");

        Assert.Equal("/quota", paths.Cpu);
        Assert.Equal("/process_api/x", paths.Memory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1:cpu")]
    [InlineData("1:cpu:")]
    [InlineData("1:cpu:/a/../../b")]
    public void Parse_MalformedLines_ReturnsRoot(string content)
    {
        Assert.Equal(SelfCgroupPaths.Root, SelfCgroupPaths.Parse(content));
    }
}
