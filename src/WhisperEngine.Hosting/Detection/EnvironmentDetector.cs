using System.Globalization;

namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Detects the deployment kind (desktop, container, Kubernetes) and the resources the process can
/// really use (cgroup-aware CPU and memory, free disk, GPU). Never throws on unreadable sources:
/// the value is left unknown and <see cref="DetectedEnvironment.Diagnostics"/> says why.
/// </summary>
public sealed class EnvironmentDetector
{
    /// <summary>Substrings of a cgroup path that reveal a container runtime, most specific first.</summary>
    private static readonly string[] ContainerCgroupMarkers = ["kubepods", "docker", "containerd", "libpod", "lxc"];

    /// <summary>Files whose presence means "inside a container" (Docker, Podman).</summary>
    private static readonly string[] ContainerMarkerFiles = ["/.dockerenv", "/run/.containerenv"];

    /// <summary>The procfs cgroup files searched for <see cref="ContainerCgroupMarkers"/>.</summary>
    private static readonly string[] ContainerCgroupFiles = ["self/cgroup", "1/cgroup"];

    private readonly EnvironmentDetectorOptions _options;

    /// <summary>Creates a detector; without options it probes the real machine.</summary>
    public EnvironmentDetector(EnvironmentDetectorOptions? options = null)
    {
        _options = options ?? new EnvironmentDetectorOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.ProcRoot, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.CgroupRoot, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.RootDirectory, nameof(options));
        ArgumentNullException.ThrowIfNull(_options.GetEnvironmentVariable, nameof(options));
    }

    /// <summary>Probes the environment. Each call reads the sources again.</summary>
    public DetectedEnvironment Detect()
    {
        var diagnostics = new List<string>();
        var cgroup = new CgroupReader(_options.ProcRoot, _options.CgroupRoot);

        var processorCount = Math.Max(1, _options.ProcessorCount);
        var hostCpus = ReadHostCpuCount(processorCount, diagnostics);
        var cpuLimit = cgroup.ReadCpuLimit();
        double effectiveCpus = Math.Min(processorCount, hostCpus);
        if (cpuLimit is > 0)
        {
            effectiveCpus = Math.Min(effectiveCpus, cpuLimit.Value);
        }

        var hostMemory = ReadHostMemoryBytes(diagnostics);
        var memoryLimit = cgroup.ReadMemoryLimitBytes(hostMemory);
        var memoryUsage = cgroup.ReadMemoryUsageBytes();
        long? effectiveMemory = (memoryLimit, hostMemory) switch
        {
            ({ } limit, { } host) => Math.Min(limit, host),
            ({ } limit, null) => limit,
            (null, { } host) => host,
            _ => null,
        };

        var freeDisk = ReadFreeDiskBytes(_options.DataDirectory, diagnostics);
        var gpu = DetectGpu(diagnostics);

        var isKubernetes = !string.IsNullOrWhiteSpace(_options.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
        if (isKubernetes)
        {
            diagnostics.Add("kubernetes: KUBERNETES_SERVICE_HOST is set");
        }

        var isContainer = DetectContainer(diagnostics) || isKubernetes;
        var kind = isKubernetes ? DeploymentKind.Kubernetes
            : isContainer ? DeploymentKind.Container
            : DeploymentKind.Desktop;

        diagnostics.AddRange(cgroup.Diagnostics);

        return new DetectedEnvironment
        {
            Kind = kind,
            IsContainer = isContainer,
            IsKubernetes = isKubernetes,
            HostCpuCount = hostCpus,
            CpuLimit = cpuLimit,
            EffectiveCpus = effectiveCpus,
            HostMemoryBytes = hostMemory,
            MemoryLimitBytes = memoryLimit,
            MemoryUsageBytes = memoryUsage,
            EffectiveMemoryBytes = effectiveMemory,
            DataDirectory = _options.DataDirectory,
            FreeDiskBytes = freeDisk,
            Gpu = gpu,
            CgroupVersion = cgroup.Version,
            Diagnostics = diagnostics,
        };
    }

    private int ReadHostCpuCount(int processorCount, List<string> diagnostics)
    {
        var text = ProcFiles.TryReadText(Path.Join(_options.ProcRoot, "cpuinfo"), "cpuinfo", diagnostics);
        var fromCpuinfo = text is null ? null : ProcFiles.CountProcessors(text);
        if (fromCpuinfo is null)
        {
            diagnostics.Add($"cpuinfo: no processor entries; host CPUs taken from the runtime ({processorCount})");
            return processorCount;
        }

        return Math.Max(fromCpuinfo.Value, processorCount);
    }

    private long? ReadHostMemoryBytes(List<string> diagnostics)
    {
        var text = ProcFiles.TryReadText(Path.Join(_options.ProcRoot, "meminfo"), "meminfo", diagnostics);
        var memTotal = text is null ? null : ProcFiles.ParseMemTotalBytes(text);
        if (memTotal is not null)
        {
            return memTotal;
        }

        var fallback = _options.FallbackHostMemoryBytes is > 0 ? _options.FallbackHostMemoryBytes : null;
        diagnostics.Add(fallback is null
            ? "meminfo: no MemTotal; host memory unknown"
            : "meminfo: no MemTotal; host memory taken from the runtime");
        return fallback;
    }

    private static long? ReadFreeDiskBytes(string? dataDirectory, List<string> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            return null;
        }

        try
        {
            var directory = Path.GetFullPath(dataDirectory);
            while (directory is not null && !Directory.Exists(directory))
            {
                directory = Path.GetDirectoryName(directory);
            }

            if (directory is null)
            {
                diagnostics.Add($"disk: no existing directory on the path of '{dataDirectory}'");
                return null;
            }

            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ProcFiles.IsFileSystemError(ex))
        {
            diagnostics.Add($"disk: cannot query free space for '{dataDirectory}' ({ex.GetType().Name})");
            return null;
        }
    }

    private string? DetectGpu(List<string> diagnostics)
    {
        try
        {
            var models = ReadNvidiaModels(diagnostics);
            if (models.Count > 0)
            {
                return string.Join("; ", models
                    .GroupBy(model => model, StringComparer.Ordinal)
                    .Select(group => group.Count() == 1
                        ? group.Key
                        : string.Create(CultureInfo.InvariantCulture, $"{group.Count()}x {group.Key}")));
            }

            if (File.Exists(ProcFiles.Under(_options.RootDirectory, "/dev/nvidia0")))
            {
                return "NVIDIA GPU (/dev/nvidia0)";
            }

            var dri = ProcFiles.Under(_options.RootDirectory, "/dev/dri");
            if (Directory.Exists(dri))
            {
                var nodes = Directory.EnumerateFileSystemEntries(dri, "renderD*")
                    .Select(Path.GetFileName)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (nodes.Count > 0)
                {
                    return (nodes.Count == 1 ? "DRM render node " : "DRM render nodes ") + string.Join(", ", nodes);
                }
            }

            return null;
        }
        catch (Exception ex) when (ProcFiles.IsFileSystemError(ex))
        {
            diagnostics.Add($"gpu: probe failed ({ex.GetType().Name})");
            return null;
        }
    }

    /// <summary>The "Model:" lines of &lt;proc&gt;/driver/nvidia/gpus/*/information, one per GPU.</summary>
    private List<string> ReadNvidiaModels(List<string> diagnostics)
    {
        var models = new List<string>();
        var gpus = Path.Join(_options.ProcRoot, "driver", "nvidia", "gpus");
        if (!Directory.Exists(gpus))
        {
            return models;
        }

        foreach (var gpuDirectory in Directory.EnumerateDirectories(gpus).Order(StringComparer.Ordinal))
        {
            var text = ProcFiles.TryReadText(Path.Join(gpuDirectory, "information"), "nvidia information", diagnostics);
            if (text is null)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("Model:", StringComparison.OrdinalIgnoreCase))
                {
                    var model = trimmed["Model:".Length..].Trim();
                    models.Add(model.Length > 0 ? model : "NVIDIA GPU");
                    break;
                }
            }
        }

        return models;
    }

    private bool DetectContainer(List<string> diagnostics)
    {
        foreach (var marker in ContainerMarkerFiles)
        {
            if (File.Exists(ProcFiles.Under(_options.RootDirectory, marker)))
            {
                diagnostics.Add($"container: {marker} present");
                return true;
            }
        }

        foreach (var file in ContainerCgroupFiles)
        {
            // /proc/1/cgroup may be unreadable for unprivileged users; that is not worth a diagnostic.
            var text = ProcFiles.TryReadText(Path.Join(_options.ProcRoot, file), file, diagnostics: null);
            if (text is null)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                // "hierarchy-id:controllers:path"; only the path is searched.
                var fields = line.Split(':', 3);
                var path = fields.Length == 3 ? fields[2] : string.Empty;
                var marker = ContainerCgroupMarkers.FirstOrDefault(m => path.Contains(m, StringComparison.OrdinalIgnoreCase));
                if (marker is not null)
                {
                    diagnostics.Add($"container: cgroup marker '{marker}' in {file}");
                    return true;
                }
            }
        }

        return false;
    }
}
