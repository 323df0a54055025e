namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Where <see cref="EnvironmentDetector"/> looks. Every input can be redirected, so that tests run
/// against sample trees instead of the real machine.
/// </summary>
public sealed class EnvironmentDetectorOptions
{
    /// <summary>Directory used as /proc (self/cgroup, 1/cgroup, meminfo, cpuinfo, driver/nvidia). Default "/proc".</summary>
    public string ProcRoot { get; init; } = CgroupReader.DefaultProcRoot;

    /// <summary>Directory used as /sys/fs/cgroup. Default "/sys/fs/cgroup".</summary>
    public string CgroupRoot { get; init; } = CgroupReader.DefaultCgroupRoot;

    /// <summary>Directory used as the file-system root for /.dockerenv, /run/.containerenv and /dev. Default "/".</summary>
    public string RootDirectory { get; init; } = "/";

    /// <summary>Environment-variable lookup (KUBERNETES_SERVICE_HOST). Default: the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The engine's data directory, for <see cref="DetectedEnvironment.FreeDiskBytes"/>; null to skip the disk probe.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// The runtime's processor count, already limited by affinity and (rounded up) by the cgroup quota.
    /// Default <see cref="System.Environment.ProcessorCount"/>.
    /// </summary>
    public int ProcessorCount { get; init; } = System.Environment.ProcessorCount;

    /// <summary>
    /// Host memory to report when &lt;proc&gt;/meminfo cannot be read (Windows, macOS).
    /// Default: the garbage collector's total available memory; null to leave it unknown.
    /// </summary>
    public long? FallbackHostMemoryBytes { get; init; } = RuntimeTotalMemoryBytes();

    private static long? RuntimeTotalMemoryBytes()
    {
        var bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return bytes > 0 ? bytes : null;
    }
}
