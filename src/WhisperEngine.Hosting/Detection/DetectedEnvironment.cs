namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// What <see cref="EnvironmentDetector"/> found about the machine, container or pod the engine runs in.
/// Input to <see cref="ResourcePlan"/> and to tier selection.
/// </summary>
public sealed record DetectedEnvironment
{
    /// <summary>Desktop, Container or Kubernetes (Kubernetes wins over Container).</summary>
    public required DeploymentKind Kind { get; init; }

    /// <summary>
    /// True when running in a container: /.dockerenv, /run/.containerenv, a container marker
    /// (docker, containerd, kubepods, libpod, lxc) in /proc/self/cgroup or /proc/1/cgroup, or Kubernetes.
    /// </summary>
    public bool IsContainer { get; init; }

    /// <summary>True when the KUBERNETES_SERVICE_HOST environment variable is set.</summary>
    public bool IsKubernetes { get; init; }

    /// <summary>
    /// Logical processors of the host: the "processor" entries of /proc/cpuinfo, or the runtime's
    /// processor count when larger or when /proc/cpuinfo cannot be read.
    /// </summary>
    public required int HostCpuCount { get; init; }

    /// <summary>The cgroup CPU quota in CPUs, or null when unlimited or unknown.</summary>
    public double? CpuLimit { get; init; }

    /// <summary>
    /// CPUs the process can really use: the smallest of the cgroup quota, the runtime's processor count
    /// (which honours affinity) and <see cref="HostCpuCount"/>. Always positive; may be fractional.
    /// </summary>
    public required double EffectiveCpus { get; init; }

    /// <summary>Physical memory of the host in bytes (MemTotal of /proc/meminfo, else the runtime's view), or null when unknown.</summary>
    public long? HostMemoryBytes { get; init; }

    /// <summary>The cgroup memory limit in bytes, or null when unlimited or unknown.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Memory currently charged to the process's cgroup in bytes, or null when unknown.</summary>
    public long? MemoryUsageBytes { get; init; }

    /// <summary>
    /// Memory the process can really use: the smaller of <see cref="MemoryLimitBytes"/> and
    /// <see cref="HostMemoryBytes"/>, whichever are known; null when neither is.
    /// </summary>
    public long? EffectiveMemoryBytes { get; init; }

    /// <summary>The data directory that <see cref="FreeDiskBytes"/> refers to, as given (null when none was given).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Bytes available to the user on the volume holding the data directory (or its nearest existing parent); null when unknown.</summary>
    public long? FreeDiskBytes { get; init; }

    /// <summary>A short description of the GPU (e.g. "NVIDIA GeForce RTX 3080", "DRM render node renderD128"), or null when none was found.</summary>
    public string? Gpu { get; init; }

    /// <summary>The cgroup version (1 or 2), or null when no cgroup hierarchy was found.</summary>
    public int? CgroupVersion { get; init; }

    /// <summary>One-line notes on how values were determined and which sources could not be read.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];
}
