using System.Net;
using System.Net.Sockets;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Benchmarks;

/// <summary>Paths, temporary homes and hermetic configuration shared by every benchmark.</summary>
internal static class BenchEnvironment
{
    /// <summary>The bench output directory: it holds whisperengine.dll and copies of configs/ and characters/ (the Cli project is referenced).</summary>
    public static string OutputDirectory { get; } = AppContext.BaseDirectory;

    public static string ProfilesDirectory => Path.Combine(OutputDirectory, "configs");

    public static string CharactersDirectory => Path.Combine(OutputDirectory, "characters");

    public static string CliDll => Path.Combine(OutputDirectory, "whisperengine.dll");

    /// <summary>A fresh, empty directory under the system temp directory.</summary>
    public static string CreateTempHome(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "we-bench-" + purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Loads the configuration as serve would (tier profile, schema validation, resource plan), from the bench output's
    /// configs/ and characters/, ignoring this process's environment variables so that the run is hermetic.
    /// </summary>
    public static LoadedConfiguration LoadConfiguration(string home, IReadOnlyDictionary<string, string> settings)
    {
        var overrides = new Dictionary<string, (string Value, string Flag)>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            overrides[key] = (value, "bench");
        }

        return ConfigurationLoader.Load(new ConfigLoadRequest
        {
            Home = home,
            Tier = "desktop",
            Overrides = overrides,
            ProfilesDirectory = ProfilesDirectory,
            BuiltInCharactersDirectory = CharactersDirectory,
            GetEnvironmentVariable = _ => null,
            EnvironmentVariableNames = () => [],
        });
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
