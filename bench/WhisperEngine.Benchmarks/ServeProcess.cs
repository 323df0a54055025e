using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace WhisperEngine.Benchmarks;

/// <summary>The real CLI (<c>dotnet whisperengine.dll …</c>) as a child process.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private long _started;

    private ServeProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUrl { get; }

    public int Id => _process.Id;

    /// <summary>From just before <see cref="Process.Start()"/> to the first 200 from /readyz.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>From just before <see cref="Process.Start()"/> to serve's "Listening on" line (Kestrel started), if seen.</summary>
    public TimeSpan? StartToListening { get; private set; }

    /// <summary>Starts <c>serve</c> on a free loopback port and waits for /readyz to answer 200 (polled every 10 ms).</summary>
    public static async Task<ServeProcess> StartAsync(string home, Uri modelUrl, string model, HttpClient http,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var port = BenchEnvironment.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var info = CreateStartInfo(["serve", "--home", home, "--urls", baseUrl.ToString().TrimEnd('/')]);
        info.Environment["LLM_CHAT_API_URL"] = modelUrl.ToString();
        info.Environment["LLM_CHAT_MODEL"] = model;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var readyz = new Uri(baseUrl, "/readyz");
        var deadline = timeout ?? TimeSpan.FromSeconds(60);
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var serve = new ServeProcess(process, baseUrl) { _started = started };
        serve.Drain();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(readyz);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    serve.StartToReady = Stopwatch.GetElapsedTime(started);
                    return serve;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // The poll itself timed out; try again.
            }

            if (process.HasExited || Stopwatch.GetElapsedTime(started) > deadline)
            {
                var output = serve.Output();
                await serve.DisposeAsync();
                throw new InvalidOperationException($"serve did not become ready within {deadline.TotalSeconds} s; its output:\n{output}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Runs <c>dotnet whisperengine.dll args</c> to the end and returns the wall time and exit code.</summary>
    public static async Task<(TimeSpan Elapsed, int ExitCode)> RunToEndAsync(params string[] args)
    {
        var info = CreateStartInfo(args);
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(stdout, stderr);
        return (elapsed, process.ExitCode);
    }

    /// <summary>VmRSS and VmHWM (peak) of the process, in MiB, from /proc/&lt;pid&gt;/status.</summary>
    public (double RssMiB, double PeakMiB) Memory()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"serve (pid {Id.ToString(CultureInfo.InvariantCulture)}) exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)}; its output:\n{Output()}");
        }

        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary>Stops serve with SIGTERM (a normal shutdown), killing it if it has not exited within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static ProcessStartInfo CreateStartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(BenchEnvironment.CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Hermetic: no settings leak in from this shell.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("WHISPERENGINE_", StringComparison.Ordinal) || key.StartsWith("LLM_", StringComparison.Ordinal) ||
                key.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private void Drain()
    {
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (StartToListening is null && line.StartsWith("Listening on", StringComparison.Ordinal))
        {
            StartToListening = Stopwatch.GetElapsedTime(_started);
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }
}
