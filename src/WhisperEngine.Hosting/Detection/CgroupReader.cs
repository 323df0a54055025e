using System.Globalization;

namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Reads the CPU and memory limits that the current process can really use from Linux control
/// groups (cgroup v2 "unified" or cgroup v1), so that a container's quota wins over the host's size.
/// </summary>
/// <remarks>
/// <para>
/// The hierarchy version is detected at the cgroup mount: v2 when <c>cgroup.controllers</c> exists
/// there, v1 when a <c>cpu</c>, <c>cpu,cpuacct</c>, <c>cpuacct,cpu</c> or <c>memory</c> controller
/// directory exists (a hybrid layout, v1 controllers plus a v2 tree under <c>unified</c>, counts as v1).
/// </para>
/// <para>
/// The process's own cgroup path comes from <c>&lt;proc&gt;/self/cgroup</c> (<c>0::/path</c> for v2,
/// <c>N:cpu,cpuacct:/path</c> and <c>N:memory:/path</c> for v1). Each file is looked up at
/// <c>&lt;mount&gt;/&lt;path&gt;/file</c> first and then at <c>&lt;mount&gt;/file</c>, because inside a
/// container the listed path is often "/" or the host's path, which is not mounted. Limits set on
/// intermediate ancestors are not combined.
/// </para>
/// <para>
/// Nothing here throws on missing or garbled files: the value is reported as null (unknown or
/// unlimited) and a short explanation is added to <see cref="Diagnostics"/>.
/// Instances are safe to use from several threads.
/// </para>
/// </remarks>
public sealed class CgroupReader
{
    /// <summary>The default location of procfs.</summary>
    public const string DefaultProcRoot = "/proc";

    /// <summary>The default cgroup mount point.</summary>
    public const string DefaultCgroupRoot = "/sys/fs/cgroup";

    /// <summary>
    /// Memory limits at or above 2^62 bytes are "no limit" sentinels (v1 reports 2^63 rounded down to a page,
    /// e.g. 9223372036854771712).
    /// </summary>
    private const long UnlimitedMemoryThreshold = 1L << 62;

    private static readonly string[] V1CpuDirectoryNames = ["cpu", "cpu,cpuacct", "cpuacct,cpu"];

    private readonly Lock _gate = new();
    private readonly List<string> _diagnostics = [];
    private readonly Lazy<int?> _version;
    private readonly Lazy<SelfCgroupPaths> _paths;

    /// <summary>Creates a reader over the given procfs root and cgroup mount point.</summary>
    /// <param name="procRoot">Directory that plays the role of /proc (tests point it at sample files).</param>
    /// <param name="cgroupRoot">Directory that plays the role of /sys/fs/cgroup.</param>
    public CgroupReader(string procRoot = DefaultProcRoot, string cgroupRoot = DefaultCgroupRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(cgroupRoot);
        ProcRoot = procRoot;
        CgroupRoot = cgroupRoot;
        _version = new Lazy<int?>(DetectVersion, LazyThreadSafetyMode.ExecutionAndPublication);
        _paths = new Lazy<SelfCgroupPaths>(ReadSelfCgroupPaths, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The directory used as /proc.</summary>
    public string ProcRoot { get; }

    /// <summary>The directory used as /sys/fs/cgroup.</summary>
    public string CgroupRoot { get; }

    /// <summary>The detected cgroup version: 2, 1, or null when no cgroup hierarchy is mounted.</summary>
    public int? Version => _version.Value;

    /// <summary>
    /// Short explanations of everything that could not be read so far, e.g. "cpu.max: unreadable value 'abc'".
    /// Returns a snapshot; duplicates are suppressed.
    /// </summary>
    public IReadOnlyList<string> Diagnostics
    {
        get
        {
            lock (_gate)
            {
                return [.. _diagnostics];
            }
        }
    }

    /// <summary>
    /// The CPU quota in CPUs (v2 <c>cpu.max</c> "150000 100000" = 1.5; v1 <c>cpu.cfs_quota_us</c> /
    /// <c>cpu.cfs_period_us</c>), or null when unlimited or unknown.
    /// </summary>
    public double? ReadCpuLimit()
    {
        return Version switch
        {
            2 => ReadV2CpuLimit(),
            1 => ReadV1CpuLimit(),
            _ => null,
        };
    }

    /// <summary>
    /// The memory limit in bytes (v2 <c>memory.max</c>, v1 <c>memory.limit_in_bytes</c>), or null when
    /// unlimited or unknown. "max", values near 2^63 and values larger than <paramref name="hostMemoryBytes"/>
    /// (when given) all mean unlimited.
    /// </summary>
    /// <param name="hostMemoryBytes">The host's physical memory, if known.</param>
    public long? ReadMemoryLimitBytes(long? hostMemoryBytes = null)
    {
        var file = Version == 2 ? "memory.max" : "memory.limit_in_bytes";
        var text = ReadMemoryControllerFile(file);
        if (text is null)
        {
            return null;
        }

        var value = text.Trim();
        if (value == "max")
        {
            return null;
        }

        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes == 0)
        {
            AddDiagnostic($"{file}: unreadable value '{ProcFiles.Quote(text)}'");
            return null;
        }

        if (bytes >= UnlimitedMemoryThreshold)
        {
            return null;
        }

        if (hostMemoryBytes is > 0 && (long)bytes > hostMemoryBytes.Value)
        {
            return null;
        }

        return (long)bytes;
    }

    /// <summary>
    /// The memory currently charged to the cgroup in bytes (v2 <c>memory.current</c>,
    /// v1 <c>memory.usage_in_bytes</c>), or null when not available.
    /// </summary>
    public long? ReadMemoryUsageBytes()
    {
        var file = Version == 2 ? "memory.current" : "memory.usage_in_bytes";
        var text = ReadMemoryControllerFile(file);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            AddDiagnostic($"{file}: unreadable value '{ProcFiles.Quote(text)}'");
            return null;
        }

        return bytes;
    }

    private double? ReadV2CpuLimit()
    {
        const string file = "cpu.max";
        var text = ReadControllerFile(CgroupRoot, _paths.Value.Unified, file);
        if (text is null)
        {
            return null;
        }

        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2 && parts[0] == "max")
        {
            return null;
        }

        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var quota)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var period)
            || quota <= 0
            || period <= 0)
        {
            AddDiagnostic($"{file}: unreadable value '{ProcFiles.Quote(text)}'");
            return null;
        }

        return (double)quota / period;
    }

    private double? ReadV1CpuLimit()
    {
        const string quotaFile = "cpu.cfs_quota_us";
        const string periodFile = "cpu.cfs_period_us";
        var mount = FindV1CpuMount();
        if (mount is null)
        {
            AddDiagnostic("cpu: no v1 cpu controller directory");
            return null;
        }

        var quotaText = ReadControllerFile(mount, _paths.Value.Cpu, quotaFile);
        if (quotaText is null)
        {
            return null;
        }

        if (!long.TryParse(quotaText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quota)
            || quota == 0
            || quota < -1)
        {
            AddDiagnostic($"{quotaFile}: unreadable value '{ProcFiles.Quote(quotaText)}'");
            return null;
        }

        if (quota == -1)
        {
            return null;
        }

        var periodText = ReadControllerFile(mount, _paths.Value.Cpu, periodFile);
        if (periodText is null)
        {
            return null;
        }

        if (!long.TryParse(periodText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var period) || period <= 0)
        {
            AddDiagnostic($"{periodFile}: unreadable value '{ProcFiles.Quote(periodText)}'");
            return null;
        }

        return (double)quota / period;
    }

    /// <summary>Reads a memory-controller file for the detected version; null (silently) without cgroups.</summary>
    private string? ReadMemoryControllerFile(string file)
    {
        return Version switch
        {
            2 => ReadControllerFile(CgroupRoot, _paths.Value.Unified, file),
            1 => ReadControllerFile(Path.Join(CgroupRoot, "memory"), _paths.Value.Memory, file),
            _ => null,
        };
    }

    private string? FindV1CpuMount()
    {
        foreach (var name in V1CpuDirectoryNames)
        {
            var candidate = Path.Join(CgroupRoot, name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="file"/> from <c>mount/cgroupPath</c>, falling back to <c>mount</c>.
    /// Records "file: not found" when neither exists.
    /// </summary>
    private string? ReadControllerFile(string mount, string cgroupPath, string file)
    {
        var diagnostics = new List<string>();
        try
        {
            if (cgroupPath.Trim('/').Length > 0)
            {
                var nested = Path.Join(ProcFiles.Under(mount, cgroupPath), file);
                if (File.Exists(nested))
                {
                    return ProcFiles.TryReadText(nested, file, diagnostics);
                }
            }

            var atMount = Path.Join(mount, file);
            if (File.Exists(atMount))
            {
                return ProcFiles.TryReadText(atMount, file, diagnostics);
            }

            diagnostics.Add($"{file}: not found");
            return null;
        }
        finally
        {
            foreach (var diagnostic in diagnostics)
            {
                AddDiagnostic(diagnostic);
            }
        }
    }

    private int? DetectVersion()
    {
        if (File.Exists(Path.Join(CgroupRoot, "cgroup.controllers")))
        {
            return 2;
        }

        if (FindV1CpuMount() is not null || Directory.Exists(Path.Join(CgroupRoot, "memory")))
        {
            return 1;
        }

        AddDiagnostic($"cgroup: no v1 or v2 hierarchy at {CgroupRoot}");
        return null;
    }

    private SelfCgroupPaths ReadSelfCgroupPaths()
    {
        var diagnostics = new List<string>();
        var text = ProcFiles.TryReadText(Path.Join(ProcRoot, "self", "cgroup"), "self/cgroup", diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            AddDiagnostic(diagnostic);
        }

        if (text is null)
        {
            if (diagnostics.Count == 0)
            {
                AddDiagnostic("self/cgroup: not found");
            }

            return SelfCgroupPaths.Root;
        }

        return SelfCgroupPaths.Parse(text);
    }

    private void AddDiagnostic(string message)
    {
        lock (_gate)
        {
            if (!_diagnostics.Contains(message))
            {
                _diagnostics.Add(message);
            }
        }
    }
}
