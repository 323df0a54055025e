using System.Diagnostics;
using System.Text;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>Runs the real <c>whisperengine</c> program as a child process.</summary>
public static class CliRunner
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "whisperengine.dll");

    public sealed record Result(int ExitCode, string Output, string Error);

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Hermetic: the developer's own model settings must not leak into tests.
        foreach (var name in new[] { "LLM_CHAT_API_URL", "LLM_CHAT_API_KEY", "LLM_CHAT_MODEL", "WHISPERENGINE_HOME", "WHISPERENGINE_CONFIG", "WHISPERENGINE_TIER", "WHISPERENGINE_API_KEY",
                     "DISCORD_BOT_TOKEN", "DISCORD_API_BASE_URL", "DISCORD_SHARD_ID", "DISCORD_SHARD_COUNT" })
        {
            info.Environment.Remove(name);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHISPERENGINE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        // No warm-up turns (the server profiles run 400 before serve is ready): WarmupTurnsTests covers them.
        info.Environment["WHISPERENGINE_SERVER__WARMUP_TURNS"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, string? input = null, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"whisperengine {string.Join(' ', args)} did not exit in time. Output so far: {await output} {await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
