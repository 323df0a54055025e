using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>
/// A PostgreSQL cluster of this test's own (from the Debian package test.sh installs), which the test may restart
/// without disturbing the shared server other tests use.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    public PrivatePostgres()
    {
        _bin = System.Environment.GetEnvironmentVariable("WHISPERENGINE_TEST_POSTGRES_BIN")
            ?? Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin")).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed; run ./test.sh, which installs it");
        _dir = Path.Combine(Path.GetTempPath(), "we-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_dir);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        if (IsRoot)
        {
            Run("chown", "postgres:postgres", _dir);
        }

        Pg("initdb", "-D", Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=10";

    /// <summary>The cluster's data directory (relation files under <c>base/</c>, the WAL under <c>pg_wal/</c>).</summary>
    public string DataDirectory => Data;

    private string Data => Path.Combine(_dir, "data");

    private static bool IsRoot => System.Environment.UserName == "root";

    public void Start() =>
        Pg("pg_ctl", "-D", Data, "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off");

    /// <summary>A fast restart: PostgreSQL disconnects every client, as on a failover or an upgrade.</summary>
    public void Restart() => Pg("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "restart",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off");

    public void Dispose()
    {
        try
        {
            Pg("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
        }

        Directory.Delete(_dir, recursive: true);
    }

    private void Pg(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (IsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {output.Result} {error.Result}");
        }
    }
}
