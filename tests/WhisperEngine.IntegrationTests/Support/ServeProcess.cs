using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary><c>whisperengine serve</c> as a real child process, for tests that kill it.</summary>
public sealed class ServeProcess : IDisposable
{
    private ServeProcess(Process process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
    }

    public Process Process { get; }

    public Uri BaseUrl { get; }

    public static async Task<ServeProcess> StartAsync(string home, IDictionary<string, string?> environment)
    {
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var process = Process.Start(CliRunner.StartInfo(["serve", "--home", home, "--urls", baseUrl.ToString().TrimEnd('/')], environment))!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"serve exited with code {process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new ServeProcess(process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("serve did not become ready within 30 s");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void KillHard()
    {
        Process.Kill();
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
