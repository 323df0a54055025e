using WhisperEngine.Hosting.Detection;
using Xunit.Abstractions;

namespace WhisperEngine.UnitTests.Detection;

public sealed class EnvironmentDetectorTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    private static string? NoVariables(string name) => null;

    /// <summary>Options over a sample tree (or a temp tree), with the process environment and runtime hidden.</summary>
    private static EnvironmentDetectorOptions Hermetic(string procRoot, string cgroupRoot, string root, int processorCount = 4) => new()
    {
        ProcRoot = procRoot,
        CgroupRoot = cgroupRoot,
        RootDirectory = root,
        GetEnvironmentVariable = NoVariables,
        ProcessorCount = processorCount,
        FallbackHostMemoryBytes = null,
    };

    private static EnvironmentDetectorOptions ForSample(string scenario, TempTree root, int processorCount = 4) =>
        Hermetic(
            Path.Join(TempTree.Sample(scenario), "proc"),
            Path.Join(TempTree.Sample(scenario), "cgroup"),
            root.Root,
            processorCount);

    [Fact]
    public void Detect_V2LimitedDesktopTree_UsesCgroupQuotaAndLimit()
    {
        using var root = new TempTree();

        var env = new EnvironmentDetector(ForSample("v2-limited", root, processorCount: 2)).Detect();

        Assert.Equal(DeploymentKind.Desktop, env.Kind);
        Assert.False(env.IsContainer);
        Assert.False(env.IsKubernetes);
        Assert.Equal(2, env.CgroupVersion);
        Assert.Equal(4, env.HostCpuCount);
        Assert.Equal(1.5, env.CpuLimit);
        Assert.Equal(1.5, env.EffectiveCpus);
        Assert.Equal(8 * GiB, env.HostMemoryBytes);
        Assert.Equal(512 * MiB, env.MemoryLimitBytes);
        Assert.Equal(100 * MiB, env.MemoryUsageBytes);
        Assert.Equal(512 * MiB, env.EffectiveMemoryBytes);
        Assert.Null(env.Gpu);
        Assert.Null(env.FreeDiskBytes);
        Assert.Null(env.DataDirectory);
    }

    [Fact]
    public void Detect_NoCgroupQuota_EffectiveCpusIsProcessorCount()
    {
        using var root = new TempTree();

        var env = new EnvironmentDetector(ForSample("v2-unlimited", root, processorCount: 3)).Detect();

        Assert.Null(env.CpuLimit);
        Assert.Equal(3, env.HostCpuCount);
        Assert.Equal(3.0, env.EffectiveCpus);
        Assert.Null(env.MemoryLimitBytes);
        Assert.Null(env.HostMemoryBytes);
        Assert.Null(env.EffectiveMemoryBytes);
        Assert.Contains(env.Diagnostics, d => d.StartsWith("cpuinfo:", StringComparison.Ordinal));
        Assert.Contains("meminfo: no MemTotal; host memory unknown", env.Diagnostics);
    }

    [Fact]
    public void Detect_QuotaAboveProcessorCount_EffectiveCpusIsProcessorCount()
    {
        using var root = new TempTree();

        // v1-limited has a 2-CPU quota; affinity (the runtime's processor count) allows only 1.
        var env = new EnvironmentDetector(ForSample("v1-limited", root, processorCount: 1)).Detect();

        Assert.Equal(1, env.CgroupVersion);
        Assert.Equal(2.0, env.CpuLimit);
        Assert.Equal(1.0, env.EffectiveCpus);
        Assert.Equal(GiB, env.MemoryLimitBytes);
    }

    [Fact]
    public void Detect_MeminfoSmallerThanCgroupLimit_TreatsLimitAsUnlimited()
    {
        using var tree = new TempTree();
        tree.Write("proc/meminfo", "MemTotal:         524288 kB\n");
        tree.Write("proc/self/cgroup", "4:memory:/\n3:cpu,cpuacct:/\n");
        tree.Write("cgroup/memory/memory.limit_in_bytes", "1073741824");

        var env = new EnvironmentDetector(Hermetic(tree.PathOf("proc"), tree.PathOf("cgroup"), tree.CreateDirectory("root"))).Detect();

        Assert.Equal(512 * MiB, env.HostMemoryBytes);
        Assert.Null(env.MemoryLimitBytes);
        Assert.Equal(512 * MiB, env.EffectiveMemoryBytes);
    }

    [Fact]
    public void Detect_NoMeminfo_UsesFallbackHostMemory()
    {
        using var tree = new TempTree();
        var options = Hermetic(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"), tree.CreateDirectory("root"));

        var env = new EnvironmentDetector(new EnvironmentDetectorOptions
        {
            ProcRoot = options.ProcRoot,
            CgroupRoot = options.CgroupRoot,
            RootDirectory = options.RootDirectory,
            GetEnvironmentVariable = NoVariables,
            ProcessorCount = 2,
            FallbackHostMemoryBytes = 3 * GiB,
        }).Detect();

        Assert.Null(env.CgroupVersion);
        Assert.Equal(3 * GiB, env.HostMemoryBytes);
        Assert.Equal(3 * GiB, env.EffectiveMemoryBytes);
        Assert.Equal(2.0, env.EffectiveCpus);
        Assert.Contains("meminfo: no MemTotal; host memory taken from the runtime", env.Diagnostics);
    }

    [Fact]
    public void Detect_DockerenvFile_IsContainer()
    {
        using var root = new TempTree();
        root.Write(".dockerenv", string.Empty);

        var env = new EnvironmentDetector(ForSample("v2-unlimited", root)).Detect();

        Assert.True(env.IsContainer);
        Assert.False(env.IsKubernetes);
        Assert.Equal(DeploymentKind.Container, env.Kind);
        Assert.Contains("container: /.dockerenv present", env.Diagnostics);
    }

    [Fact]
    public void Detect_ContainerenvFile_IsContainer()
    {
        using var root = new TempTree();
        root.Write("run/.containerenv", "engine=\"podman-4.9.3\"\n");

        var env = new EnvironmentDetector(ForSample("v2-unlimited", root)).Detect();

        Assert.Equal(DeploymentKind.Container, env.Kind);
        Assert.Contains("container: /run/.containerenv present", env.Diagnostics);
    }

    [Theory]
    [InlineData("v1-nested", "docker")]
    [InlineData("v2-nested", "kubepods")]
    public void Detect_CgroupMarkerInSelfCgroup_IsContainer(string scenario, string marker)
    {
        using var root = new TempTree();

        var env = new EnvironmentDetector(ForSample(scenario, root)).Detect();

        Assert.True(env.IsContainer);
        Assert.Equal(DeploymentKind.Container, env.Kind);
        Assert.Contains($"container: cgroup marker '{marker}' in self/cgroup", env.Diagnostics);
    }

    [Theory]
    [InlineData("0::/containerd/0123abcd\n", "containerd")]
    [InlineData("0::/machine.slice/libpod-0123.scope\n", "libpod")]
    [InlineData("7:cpu:/lxc/web01\n", "lxc")]
    public void Detect_CgroupMarkerInInitCgroup_IsContainer(string initCgroup, string marker)
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", "0::/\n");
        tree.Write("proc/1/cgroup", initCgroup);

        var env = new EnvironmentDetector(Hermetic(tree.PathOf("proc"), tree.CreateDirectory("cgroup"), tree.CreateDirectory("root"))).Detect();

        Assert.True(env.IsContainer);
        Assert.Contains($"container: cgroup marker '{marker}' in 1/cgroup", env.Diagnostics);
    }

    [Fact]
    public void Detect_MarkerOnlyInControllerName_IsNotContainer()
    {
        using var tree = new TempTree();
        tree.Write("proc/self/cgroup", "5:lxc-controller:/\n0::/user.slice\n");

        var env = new EnvironmentDetector(Hermetic(tree.PathOf("proc"), tree.CreateDirectory("cgroup"), tree.CreateDirectory("root"))).Detect();

        Assert.False(env.IsContainer);
        Assert.Equal(DeploymentKind.Desktop, env.Kind);
    }

    [Fact]
    public void Detect_KubernetesServiceHost_IsKubernetesAndContainer()
    {
        using var root = new TempTree();
        var options = ForSample("v2-unlimited", root);
        var variables = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1" };

        var env = new EnvironmentDetector(new EnvironmentDetectorOptions
        {
            ProcRoot = options.ProcRoot,
            CgroupRoot = options.CgroupRoot,
            RootDirectory = options.RootDirectory,
            GetEnvironmentVariable = name => variables.GetValueOrDefault(name),
            ProcessorCount = 4,
            FallbackHostMemoryBytes = null,
        }).Detect();

        Assert.True(env.IsKubernetes);
        Assert.True(env.IsContainer);
        Assert.Equal(DeploymentKind.Kubernetes, env.Kind);
    }

    [Fact]
    public void Detect_NvidiaProcTree_ReportsModels()
    {
        using var tree = new TempTree();
        tree.Write("proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t NVIDIA GeForce RTX 3080\nIRQ:   \t\t 150\nGPU UUID: \t GPU-1234\n");
        tree.Write("proc/driver/nvidia/gpus/0000:02:00.0/information", "Model: \t\t NVIDIA GeForce RTX 3080\n");
        tree.Write("proc/driver/nvidia/gpus/0000:03:00.0/information", "Model: \t\t Tesla T4\n");

        var env = new EnvironmentDetector(Hermetic(tree.PathOf("proc"), tree.CreateDirectory("cgroup"), tree.CreateDirectory("root"))).Detect();

        Assert.Equal("2x NVIDIA GeForce RTX 3080; Tesla T4", env.Gpu);
    }

    [Fact]
    public void Detect_NvidiaDeviceWithoutProcInformation_ReportsGenericNvidia()
    {
        using var tree = new TempTree();
        tree.Write("root/dev/nvidia0", string.Empty);

        var env = new EnvironmentDetector(Hermetic(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"), tree.PathOf("root"))).Detect();

        Assert.Equal("NVIDIA GPU (/dev/nvidia0)", env.Gpu);
    }

    [Fact]
    public void Detect_DriRenderNode_ReportsRenderNode()
    {
        using var tree = new TempTree();
        tree.Write("root/dev/dri/card0", string.Empty);
        tree.Write("root/dev/dri/renderD128", string.Empty);

        var env = new EnvironmentDetector(Hermetic(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"), tree.PathOf("root"))).Detect();

        Assert.Equal("DRM render node renderD128", env.Gpu);
    }

    [Fact]
    public void Detect_DriWithoutRenderNode_ReportsNoGpu()
    {
        using var tree = new TempTree();
        tree.Write("root/dev/dri/card0", string.Empty);

        var env = new EnvironmentDetector(Hermetic(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"), tree.PathOf("root"))).Detect();

        Assert.Null(env.Gpu);
    }

    [Fact]
    public void Detect_DataDirectoryNotCreatedYet_MeasuresNearestExistingParent()
    {
        using var tree = new TempTree();
        var options = Hermetic(tree.CreateDirectory("proc"), tree.CreateDirectory("cgroup"), tree.CreateDirectory("root"));
        var dataDirectory = tree.PathOf("data/not/created/yet");

        var env = new EnvironmentDetector(new EnvironmentDetectorOptions
        {
            ProcRoot = options.ProcRoot,
            CgroupRoot = options.CgroupRoot,
            RootDirectory = options.RootDirectory,
            GetEnvironmentVariable = NoVariables,
            DataDirectory = dataDirectory,
            FallbackHostMemoryBytes = null,
        }).Detect();

        Assert.Equal(dataDirectory, env.DataDirectory);
        Assert.NotNull(env.FreeDiskBytes);
        Assert.True(env.FreeDiskBytes >= 0);
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public void Detect_GarbledAndMissingSources_DoesNotThrowAndCollectsDiagnostics()
    {
        using var root = new TempTree();

        var env = new EnvironmentDetector(ForSample("garbled", root, processorCount: 2)).Detect();

        Assert.Null(env.CpuLimit);
        Assert.Null(env.MemoryLimitBytes);
        Assert.Equal(2.0, env.EffectiveCpus);
        Assert.Contains("cpu.max: unreadable value 'abc'", env.Diagnostics);
        Assert.Contains("memory.max: unreadable value 'lots of memory'", env.Diagnostics);
    }

    [Fact]
    public void Constructor_BlankRoot_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EnvironmentDetector(new EnvironmentDetectorOptions { ProcRoot = " " }));
    }

    [Fact]
    public void Detect_RealMachine_ReturnsSaneValues()
    {
        var env = new EnvironmentDetector(new EnvironmentDetectorOptions { DataDirectory = AppContext.BaseDirectory }).Detect();

        Assert.True(env.EffectiveCpus > 0, $"EffectiveCpus = {env.EffectiveCpus}");
        Assert.True(env.EffectiveCpus <= env.HostCpuCount, $"EffectiveCpus = {env.EffectiveCpus}, HostCpuCount = {env.HostCpuCount}");
        Assert.True(env.EffectiveCpus <= System.Environment.ProcessorCount);
        Assert.NotNull(env.HostMemoryBytes);
        Assert.True(env.HostMemoryBytes > 0);
        Assert.NotNull(env.EffectiveMemoryBytes);
        Assert.True(env.EffectiveMemoryBytes <= env.HostMemoryBytes);
        Assert.True(env.FreeDiskBytes is null or >= 0);
        Assert.Equal(env.IsKubernetes, env.Kind == DeploymentKind.Kubernetes);
        Assert.True(env.IsContainer || env.Kind == DeploymentKind.Desktop);

        output.WriteLine(env.ToString());
        foreach (var line in env.Diagnostics.Concat(ResourcePlan.FromEnvironment(env).Reasons))
        {
            output.WriteLine(line);
        }
    }
}
