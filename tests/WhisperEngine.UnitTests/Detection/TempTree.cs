namespace WhisperEngine.UnitTests.Detection;

/// <summary>A throw-away directory for building fake /proc, /sys/fs/cgroup and / trees.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Join(Path.GetTempPath(), "we-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The sample tree of a scenario under TestData/cgroup.</summary>
    public static string Sample(string scenario) =>
        Path.Join(AppContext.BaseDirectory, "TestData", "cgroup", scenario);

    public string PathOf(string relativePath) => Path.Join(Root, relativePath);

    /// <summary>Writes a file (creating its directories) and returns its full path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Creates a directory and returns its full path.</summary>
    public string CreateDirectory(string relativePath) => Directory.CreateDirectory(PathOf(relativePath)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp directory eventually.
        }
    }
}
