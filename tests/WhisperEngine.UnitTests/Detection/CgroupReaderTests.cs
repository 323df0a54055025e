using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.UnitTests.Detection;

public sealed class CgroupReaderTests
{
    private static CgroupReader ForSample(string scenario) =>
        new(Path.Join(TempTree.Sample(scenario), "proc"), Path.Join(TempTree.Sample(scenario), "cgroup"));

    [Fact]
    public void Constructor_NoArguments_UsesRealRoots()
    {
        var reader = new CgroupReader();

        Assert.Equal("/proc", reader.ProcRoot);
        Assert.Equal("/sys/fs/cgroup", reader.CgroupRoot);
    }

    [Theory]
    [InlineData("v2-limited", 2)]
    [InlineData("v2-unlimited", 2)]
    [InlineData("v1-limited", 1)]
    [InlineData("v1-unlimited", 1)]
    [InlineData("v2-nested", 2)]
    [InlineData("v1-nested", 1)]
    public void Version_SampleTree_DetectsHierarchy(string scenario, int expected)
    {
        Assert.Equal(expected, ForSample(scenario).Version);
    }

    [Fact]
    public void Version_NoHierarchy_IsNullWithDiagnostic()
    {
        using var tree = new TempTree();
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"));

        Assert.Null(reader.Version);
        Assert.Null(reader.ReadCpuLimit());
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.Null(reader.ReadMemoryUsageBytes());
        Assert.Single(reader.Diagnostics, d => d.StartsWith("cgroup: no v1 or v2 hierarchy", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadCpuLimit_V2Quota_ReturnsFractionalCpus()
    {
        var reader = ForSample("v2-limited");

        Assert.Equal(1.5, reader.ReadCpuLimit());
        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void ReadMemoryLimitBytes_V2Limit_ReturnsBytes()
    {
        var reader = ForSample("v2-limited");

        Assert.Equal(536_870_912L, reader.ReadMemoryLimitBytes());
        Assert.Equal(104_857_600L, reader.ReadMemoryUsageBytes());
        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void ReadLimits_V2Unlimited_ReturnNullWithoutDiagnostics()
    {
        var reader = ForSample("v2-unlimited");

        Assert.Null(reader.ReadCpuLimit());
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.Equal(52_428_800L, reader.ReadMemoryUsageBytes());
        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void ReadLimits_V1Quota_ReturnsCpusAndBytes()
    {
        var reader = ForSample("v1-limited");

        Assert.Equal(2.0, reader.ReadCpuLimit());
        Assert.Equal(1_073_741_824L, reader.ReadMemoryLimitBytes());
        Assert.Equal(209_715_200L, reader.ReadMemoryUsageBytes());
        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void ReadLimits_V1Unlimited_ReturnNull()
    {
        var reader = ForSample("v1-unlimited");

        Assert.Null(reader.ReadCpuLimit());
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.Equal(4_464_640L, reader.ReadMemoryUsageBytes());
        Assert.Empty(reader.Diagnostics);
    }

    [Fact]
    public void ReadMemoryLimitBytes_LimitAboveHostMemory_ReturnsNull()
    {
        var reader = ForSample("v1-limited");

        Assert.Null(reader.ReadMemoryLimitBytes(hostMemoryBytes: 512L * 1024 * 1024));
        Assert.Equal(1_073_741_824L, reader.ReadMemoryLimitBytes(hostMemoryBytes: 8L * 1024 * 1024 * 1024));
    }

    [Fact]
    public void ReadLimits_GarbledFiles_ReturnNullAndDescribeValues()
    {
        var reader = ForSample("garbled");

        Assert.Null(reader.ReadCpuLimit());
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.Null(reader.ReadMemoryUsageBytes());
        Assert.Contains("cpu.max: unreadable value 'abc'", reader.Diagnostics);
        Assert.Contains("memory.max: unreadable value 'lots of memory'", reader.Diagnostics);
        Assert.Contains("memory.current: unreadable value '12.5MB'", reader.Diagnostics);
    }

    [Fact]
    public void ReadLimits_MissingFiles_ReturnNullAndReportNotFound()
    {
        var reader = ForSample("missing");

        Assert.Equal(2, reader.Version);
        Assert.Null(reader.ReadCpuLimit());
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.Null(reader.ReadMemoryUsageBytes());
        Assert.Contains("self/cgroup: not found", reader.Diagnostics);
        Assert.Contains("cpu.max: not found", reader.Diagnostics);
        Assert.Contains("memory.max: not found", reader.Diagnostics);
        Assert.Contains("memory.current: not found", reader.Diagnostics);
    }

    [Fact]
    public void Diagnostics_RepeatedReads_AreNotDuplicated()
    {
        var reader = ForSample("garbled");

        reader.ReadCpuLimit();
        reader.ReadCpuLimit();

        Assert.Single(reader.Diagnostics, d => d.StartsWith("cpu.max:", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadLimits_V2NestedPath_PrefersNestedFileAndFallsBackToMount()
    {
        var reader = ForSample("v2-nested");

        // cpu.max exists in the process's own (nested) cgroup: 50000/100000, not the root's "max".
        Assert.Equal(0.5, reader.ReadCpuLimit());

        // memory.max exists only at the mount root.
        Assert.Equal(268_435_456L, reader.ReadMemoryLimitBytes());
    }

    [Fact]
    public void ReadLimits_V1NestedPath_PrefersNestedFiles()
    {
        var reader = ForSample("v1-nested");

        Assert.Equal(0.5, reader.ReadCpuLimit());
        Assert.Equal(268_435_456L, reader.ReadMemoryLimitBytes());
        Assert.Null(reader.ReadMemoryUsageBytes());
        Assert.Contains("memory.usage_in_bytes: not found", reader.Diagnostics);
    }

    [Theory]
    [InlineData("max", null)]
    [InlineData("max 100000", null)]
    [InlineData("200000 100000", 2.0)]
    [InlineData("25000 100000\n", 0.25)]
    public void ReadCpuLimit_V2Values_ParsesQuota(string content, double? expected)
    {
        using var tree = new TempTree();
        tree.Write("cgroup/cgroup.controllers", "cpu memory");
        tree.Write("cgroup/cpu.max", content);
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.PathOf("cgroup"));

        Assert.Equal(expected, reader.ReadCpuLimit());
    }

    [Theory]
    [InlineData("")]
    [InlineData("100000")]
    [InlineData("0 100000")]
    [InlineData("150000 0")]
    [InlineData("-5 100000")]
    [InlineData("150000 100000 7")]
    public void ReadCpuLimit_V2InvalidValues_ReturnsNullWithDiagnostic(string content)
    {
        using var tree = new TempTree();
        tree.Write("cgroup/cgroup.controllers", "cpu memory");
        tree.Write("cgroup/cpu.max", content);
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.PathOf("cgroup"));

        Assert.Null(reader.ReadCpuLimit());
        Assert.Contains(reader.Diagnostics, d => d.StartsWith("cpu.max: unreadable value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abc", "100000", "cpu.cfs_quota_us: unreadable value 'abc'")]
    [InlineData("0", "100000", "cpu.cfs_quota_us: unreadable value '0'")]
    [InlineData("50000", "zero", "cpu.cfs_period_us: unreadable value 'zero'")]
    [InlineData("50000", "0", "cpu.cfs_period_us: unreadable value '0'")]
    public void ReadCpuLimit_V1InvalidValues_ReturnsNullWithDiagnostic(string quota, string period, string expected)
    {
        using var tree = new TempTree();
        tree.Write("cgroup/cpu/cpu.cfs_quota_us", quota);
        tree.Write("cgroup/cpu/cpu.cfs_period_us", period);
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.PathOf("cgroup"));

        Assert.Null(reader.ReadCpuLimit());
        Assert.Contains(expected, reader.Diagnostics);
    }

    [Fact]
    public void ReadCpuLimit_V1MissingPeriod_ReturnsNullWithDiagnostic()
    {
        using var tree = new TempTree();
        tree.Write("cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000");
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.PathOf("cgroup"));

        Assert.Null(reader.ReadCpuLimit());
        Assert.Contains("cpu.cfs_period_us: not found", reader.Diagnostics);
    }

    [Theory]
    [InlineData("9223372036854771712")]
    [InlineData("9223372036854775807")]
    [InlineData("18446744073709551615")]
    [InlineData("4611686018427387904")]
    public void ReadMemoryLimitBytes_V1NearTwoToThe63_ReturnsNull(string content)
    {
        using var tree = new TempTree();
        tree.Write("cgroup/memory/memory.limit_in_bytes", content);
        var reader = new CgroupReader(tree.CreateDirectory("proc"), tree.PathOf("cgroup"));

        Assert.Equal(1, reader.Version);
        Assert.Null(reader.ReadMemoryLimitBytes());
        Assert.DoesNotContain(reader.Diagnostics, d => d.StartsWith("memory.limit_in_bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadMemoryLimitBytes_V1HybridWithUnifiedTree_UsesV1Controller()
    {
        // v1-limited also has cgroup/unified/cgroup.controllers and a "0::/" line, like systemd's hybrid layout.
        var reader = ForSample("v1-limited");

        Assert.Equal(1, reader.Version);
        Assert.Equal(1_073_741_824L, reader.ReadMemoryLimitBytes());
    }

    [Fact]
    public void ReadCpuLimit_PathWithParentSegments_IgnoresPathAndUsesMount()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", "0::/../escape\n");
        tree.Write("cgroup/cgroup.controllers", "cpu memory");
        tree.Write("cgroup/cpu.max", "100000 100000");
        tree.Write("escape/cpu.max", "900000 100000");
        var reader = new CgroupReader(tree.PathOf("proc"), tree.PathOf("cgroup"));

        Assert.Equal(1.0, reader.ReadCpuLimit());
    }
}
