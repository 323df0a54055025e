namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// The process's own cgroup paths, parsed from /proc/self/cgroup ("hierarchy-id:controllers:path" lines).
/// Paths are "/" when not listed.
/// </summary>
/// <param name="Unified">The v2 path, from the "0::/path" line.</param>
/// <param name="Cpu">The v1 path of the hierarchy whose controllers include "cpu".</param>
/// <param name="Memory">The v1 path of the hierarchy whose controllers include "memory".</param>
internal sealed record SelfCgroupPaths(string Unified, string Cpu, string Memory)
{
    /// <summary>All paths at the root of their hierarchy.</summary>
    public static SelfCgroupPaths Root { get; } = new("/", "/", "/");

    /// <summary>Parses the content of /proc/self/cgroup; malformed lines are ignored.</summary>
    public static SelfCgroupPaths Parse(string content)
    {
        string? unified = null;
        string? cpu = null;
        string? memory = null;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.Trim();
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var hierarchy = line[..first];
            var controllers = line[(first + 1)..second];
            var path = line[(second + 1)..];
            if (path.Length == 0 || path.Contains("..", StringComparison.Ordinal))
            {
                continue;
            }

            if (hierarchy == "0" && controllers.Length == 0)
            {
                unified ??= path;
                continue;
            }

            foreach (var controller in controllers.Split(','))
            {
                if (controller == "cpu")
                {
                    cpu ??= path;
                }
                else if (controller == "memory")
                {
                    memory ??= path;
                }
            }
        }

        return new SelfCgroupPaths(unified ?? "/", cpu ?? "/", memory ?? "/");
    }
}
