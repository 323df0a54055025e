using BenchmarkDotNet.Running;
using WhisperEngine.Benchmarks;

// dotnet run -c Release --project bench/WhisperEngine.Benchmarks -- <mode> [options]
//   turn     BenchmarkDotNet: turn overhead without the model call (TurnBenchmarks; Store: sqlite, sqlite-full, postgres, postgres+redis)
//   api      BenchmarkDotNet: serve over a direct call to the model endpoint (ApiBenchmarks)
//   forget   BenchmarkDotNet: erasing one person from a SQLite database of 10,000 / 100,000 messages (ForgetBenchmarks)
//   bdn      BenchmarkDotNet switcher over every benchmark class; pass BDN options (--filter, --list flat, ...)
//   startup  [runs=10] [idle-seconds=5]: start-to-ready and idle RSS of the real CLI serve
//   memory-search [--sizes 10000,100000] [--queries 300] [--stores sqlite,postgres] [--locomo DIR] [--postgres CONN]: search latency per store
//   load     [--conversations 50] [--turns 20] [--sync full|normal] [--stream] [--think SECONDS] [--latency CSV] [--env KEY=VALUE]: concurrent conversations through serve
var mode = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return mode switch
{
    "turn" => Bdn.Run(typeof(TurnBenchmarks), rest),
    "api" => Bdn.Run(typeof(ApiBenchmarks), rest),
    "forget" => Bdn.Run(typeof(WhisperEngine.Benchmarks.Memory.ForgetBenchmarks), rest),
    "bdn" => Bdn.Run(null, rest),
    "startup" => await StartupDriver.RunAsync(rest),
    "load" => await LoadDriver.RunAsync(rest),
    "memory-search" => await WhisperEngine.Benchmarks.Memory.MemorySearchDriver.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: WhisperEngine.Benchmarks turn|api|forget|bdn|startup|load|memory-search [options]  (see Program.cs and docs/benchmarks.md)");
    return 2;
}

internal static class Bdn
{
    public static int Run(Type? type, string[] args)
    {
        var switcher = type is null ? BenchmarkSwitcher.FromAssembly(typeof(Bdn).Assembly) : BenchmarkSwitcher.FromTypes([type]);
        // Without a filter the switcher asks interactively; a mode already names what to run.
        var withFilter = args.Contains("--filter") || args.Contains("-f") || args.Contains("--list") ? args : [.. args, "--filter", "*"];
        var summaries = switcher.Run(withFilter).ToList();
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
