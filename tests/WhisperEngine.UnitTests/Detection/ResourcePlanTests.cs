using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.UnitTests.Detection;

public sealed class ResourcePlanTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    private static DetectedEnvironment Environment(double cpus, long? memory, double? cpuLimit = null, long? memoryLimit = null, int hostCpus = 16) => new()
    {
        Kind = DeploymentKind.Container,
        HostCpuCount = hostCpus,
        CpuLimit = cpuLimit,
        EffectiveCpus = cpus,
        HostMemoryBytes = memory,
        MemoryLimitBytes = memoryLimit,
        EffectiveMemoryBytes = memoryLimit ?? memory,
    };

    [Fact]
    public void FromEnvironment_SmallContainer_UsesFloors()
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus: 1, memory: 8 * GiB, cpuLimit: 1, memoryLimit: 512 * MiB));

        Assert.Equal(4, plan.MaxConcurrentTurns);
        Assert.Equal(64, plan.TurnQueueCapacity);
        Assert.Equal(1, plan.BackgroundWorkers);
        Assert.Equal((long)(512 * MiB * 0.05), plan.CacheMemoryBytes);
        Assert.Equal((int)(512 * MiB * 0.05 / 2 / 4096), plan.MaxHistoryMessagesCached);
        Assert.Equal(5, plan.Reasons.Count);
        Assert.Equal("MaxConcurrentTurns: 1 CPU (cgroup quota 1.0) -> 4 concurrent turns", plan.Reasons[0]);
        Assert.Equal("TurnQueueCapacity: 4 concurrent turns x 16 -> 64 queued turns", plan.Reasons[1]);
        Assert.Equal("BackgroundWorkers: 1 CPU / 2 -> 1 background worker", plan.Reasons[2]);
        Assert.Equal("CacheMemoryBytes: 5% of 512 MiB (cgroup limit) -> 25.6 MiB cache", plan.Reasons[3]);
        Assert.StartsWith("MaxHistoryMessagesCached: 1/2 of 25.6 MiB cache / 4 KiB per message -> ", plan.Reasons[4], StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_LargeHost_UsesCeilings()
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus: 16, memory: 64 * GiB));

        Assert.Equal(64, plan.MaxConcurrentTurns);
        Assert.Equal(1024, plan.TurnQueueCapacity);
        Assert.Equal(8, plan.BackgroundWorkers);
        Assert.Equal(GiB, plan.CacheMemoryBytes);
        Assert.Equal(131_072, plan.MaxHistoryMessagesCached);
        Assert.Equal("MaxConcurrentTurns: 16 CPUs (no cgroup quota, 16 host CPUs) -> 64 concurrent turns", plan.Reasons[0]);
        Assert.Equal("CacheMemoryBytes: 5% of 64 GiB (host memory) -> 1 GiB cache (maximum 1 GiB)", plan.Reasons[3]);
    }

    [Fact]
    public void FromEnvironment_TwoCpuQuota_MatchesDocumentedReason()
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus: 2, memory: 4 * GiB, cpuLimit: 2));

        Assert.Equal(8, plan.MaxConcurrentTurns);
        Assert.Equal("MaxConcurrentTurns: 2 CPUs (cgroup quota 2.0) -> 8 concurrent turns", plan.Reasons[0]);
    }

    [Theory]
    [InlineData(0.25, 2, 32, 1)]
    [InlineData(0.5, 2, 32, 1)]
    [InlineData(1.5, 6, 96, 1)]
    [InlineData(3, 12, 192, 1)]
    [InlineData(64, 256, 4096, 32)]
    [InlineData(128, 256, 4096, 64)]
    public void FromEnvironment_CpuCounts_ClampTurnsAndScaleQueue(double cpus, int turns, int queue, int workers)
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus, memory: 4 * GiB, hostCpus: 128));

        Assert.Equal(turns, plan.MaxConcurrentTurns);
        Assert.Equal(queue, plan.TurnQueueCapacity);
        Assert.Equal(workers, plan.BackgroundWorkers);
    }

    [Fact]
    public void FromEnvironment_QuarterCpu_ExplainsMinimums()
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus: 0.25, memory: 128 * MiB, cpuLimit: 0.25, memoryLimit: 128 * MiB));

        Assert.Equal("MaxConcurrentTurns: 0.25 CPUs (cgroup quota 0.25) -> 2 concurrent turns (minimum 2)", plan.Reasons[0]);
        Assert.Equal("TurnQueueCapacity: 2 concurrent turns x 16 -> 32 queued turns", plan.Reasons[1]);
        Assert.Equal(16 * MiB, plan.CacheMemoryBytes);
        Assert.Equal(2048, plan.MaxHistoryMessagesCached);
        Assert.EndsWith("-> 16 MiB cache (minimum 16 MiB)", plan.Reasons[3], StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_UnknownMemory_AssumesOneGibibyte()
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus: 2, memory: null));

        Assert.Equal((long)(GiB * 0.05), plan.CacheMemoryBytes);
        Assert.Contains("unknown memory, assuming 1 GiB", plan.Reasons[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void FromEnvironment_InvalidCpus_AssumesOneCpu(double cpus)
    {
        var plan = ResourcePlan.FromEnvironment(Environment(cpus, memory: 4 * GiB));

        Assert.Equal(4, plan.MaxConcurrentTurns);
        Assert.Equal(1, plan.BackgroundWorkers);
        Assert.StartsWith("MaxConcurrentTurns: unknown CPUs, assuming 1 -> ", plan.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_DetectedSampleTree_PlansForCgroupLimits()
    {
        using var root = new TempTree();
        var sample = TempTree.Sample("v2-limited");
        var env = new EnvironmentDetector(new EnvironmentDetectorOptions
        {
            ProcRoot = Path.Join(sample, "proc"),
            CgroupRoot = Path.Join(sample, "cgroup"),
            RootDirectory = root.Root,
            GetEnvironmentVariable = _ => null,
            ProcessorCount = 2,
            FallbackHostMemoryBytes = null,
        }).Detect();

        var plan = ResourcePlan.FromEnvironment(env);

        Assert.Equal(6, plan.MaxConcurrentTurns);
        Assert.Equal("MaxConcurrentTurns: 1.5 CPUs (cgroup quota 1.5) -> 6 concurrent turns", plan.Reasons[0]);
        Assert.Equal((long)(512 * MiB * 0.05), plan.CacheMemoryBytes);
    }
}
