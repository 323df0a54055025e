namespace WhisperEngine.IntegrationTests.Support;

/// <summary>Files in the project's <c>shared/data</c>, which lies beside the repository (never committed into it).</summary>
public static class SharedData
{
    /// <summary>The 300-row sample of a real OpenRouter activity export.</summary>
    public static string OpenRouterSample => Path.Combine(Directory("openrouter"), "activity_sample_300.csv");

    /// <summary>
    /// Finds <c>shared/data/&lt;name&gt;</c> in a directory above the test binaries. Missing data fails the test: it is
    /// present on developer and CI machines, and a silent skip would hide a report nobody checked.
    /// </summary>
    public static string Directory(string name)
    {
        // WHISPERENGINE_SHARED_DATA points at shared/data explicitly; /work/shared is where this workplace keeps it.
        foreach (var root in new[] { System.Environment.GetEnvironmentVariable("WHISPERENGINE_SHARED_DATA"), "/work/shared/data" })
        {
            if (root is not null && System.IO.Directory.Exists(Path.Combine(root, name)))
            {
                return Path.Combine(root, name);
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", name);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"shared/data/{name} was not found in any directory above {AppContext.BaseDirectory}. " +
            "The repository is expected beside the project's shared/ directory (as /work/<checkout> and /work/shared), " +
            "or set WHISPERENGINE_SHARED_DATA to the shared/data directory.");
        return "";
    }
}
