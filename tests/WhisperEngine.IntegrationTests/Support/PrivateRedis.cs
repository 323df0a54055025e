using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>A redis-server of this test's own (the package test.sh installs), which the test may stop and start again on the same port.</summary>
public sealed class PrivateRedis : IDisposable
{
    private readonly TempDirectory _dir = new();
    private Process? _process;

    public PrivateRedis()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public void Start()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir.Path })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; run ./test.sh, which installs it");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new TimeoutException($"redis-server did not listen on {Port}");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        _dir.Dispose();
    }
}
