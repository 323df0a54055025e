using WhisperEngine.Testing;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// <c>startup [runs] [idle-seconds]</c>: start-to-ready and idle RSS of the real <c>serve</c>, against the runtime's
/// own floor (<c>dotnet whisperengine.dll --version</c>), each started <c>runs</c> times after one untimed warm-up.
/// </summary>
internal static class StartupDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var idle = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
        Console.WriteLine($"startup: {runs} runs each, idle {idle.TotalSeconds} s before reading RSS; CLI {BenchEnvironment.CliDll}");

        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.DefaultReply = FakeReply.Text("Hello.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        // Baseline: the runtime's floor, host + CLI parse, no engine.
        await ServeProcess.RunToEndAsync("--version");
        var version = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (elapsed, exit) = await ServeProcess.RunToEndAsync("--version");
            if (exit != 0)
            {
                throw new InvalidOperationException($"--version exited with {exit}.");
            }

            version.Add(elapsed.TotalMilliseconds);
        }

        // serve on a fresh home each time (creates and migrates the database), then on one existing home.
        var fresh = await ServeSeriesAsync(runs, idle, fake, http, reuseHome: false);
        var existing = await ServeSeriesAsync(runs, idle, fake, http, reuseHome: true);

        Console.WriteLine();
        Console.WriteLine("| Measurement | n | Median | p95 | Min | Max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("`--version` start to exit (baseline), ms", new Stats(version));
        Row("serve start to /readyz 200, fresh home, ms", new Stats(fresh.Ready));
        Row("serve start to /readyz 200, existing home, ms", new Stats(existing.Ready));
        Row("serve start to \"Listening on\" printed, fresh home, ms", new Stats(fresh.Listening));
        Row("serve start to \"Listening on\" printed, existing home, ms", new Stats(existing.Listening));
        Row($"serve idle VmRSS after {idle.TotalSeconds} s, fresh home, MiB", new Stats(fresh.Rss));
        Row($"serve idle VmRSS after {idle.TotalSeconds} s, existing home, MiB", new Stats(existing.Rss));
        Row("serve peak VmHWM at that time, fresh home, MiB", new Stats(fresh.Peak));
        Row("first chat completion after ready, fresh home, ms", new Stats(fresh.FirstTurn));
        Row("first chat completion after ready, existing home, ms", new Stats(existing.FirstTurn));
        Row("second chat completion, fresh home, ms", new Stats(fresh.SecondTurn));
        Row("VmRSS after those two turns, fresh home, MiB", new Stats(fresh.RssAfterTurns));
        Console.WriteLine();
        Console.WriteLine("Raw start-to-ready (ms), fresh home:    " + string.Join(", ", fresh.Ready.Select(v => Stats.F(v, "0"))));
        Console.WriteLine("Raw first turn (ms), fresh home:        " + string.Join(", ", fresh.FirstTurn.Select(v => Stats.F(v, "0"))));
        Console.WriteLine("Raw start-to-ready (ms), existing home: " + string.Join(", ", existing.Ready.Select(v => Stats.F(v, "0"))));
        Console.WriteLine("Raw --version (ms):                     " + string.Join(", ", version.Select(v => Stats.F(v, "0"))));
        return 0;
    }

    private static void Row(string name, Stats s) =>
        Console.WriteLine($"| {name} | {s.Count} | {Stats.F(s.Median)} | {Stats.F(s.P95)} | {Stats.F(s.Min)} | {Stats.F(s.Max)} |");

    private static async Task<Series> ServeSeriesAsync(
        int runs, TimeSpan idle, FakeOpenAiServer fake, HttpClient http, bool reuseHome)
    {
        var series = new Series();
        var shared = reuseHome ? BenchEnvironment.CreateTempHome("startup") : null;
        try
        {
            // Untimed warm-up start: page cache, and for the existing-home series the database it reuses.
            var warmHome = shared ?? BenchEnvironment.CreateTempHome("startup");
            await using (await ServeProcess.StartAsync(warmHome, fake.BaseUrl, FakeOpenAiServer.ModelId, http))
            {
            }

            if (shared is null)
            {
                BenchEnvironment.DeleteQuietly(warmHome);
            }

            for (var i = 0; i < runs; i++)
            {
                var home = shared ?? BenchEnvironment.CreateTempHome("startup");
                try
                {
                    await using var serve = await ServeProcess.StartAsync(home, fake.BaseUrl, FakeOpenAiServer.ModelId, http);
                    series.Ready.Add(serve.StartToReady.TotalMilliseconds);
                    series.Listening.Add(serve.StartToListening?.TotalMilliseconds ?? double.NaN);
                    await Task.Delay(idle);
                    var (r, p) = serve.Memory();
                    series.Rss.Add(r);
                    series.Peak.Add(p);

                    // The first turns after start: what a user waiting on the first reply sees.
                    var client = ApiBenchmarks.CreateClient("elena", new Uri(serve.BaseUrl, "/v1"));
                    var first = await TimedTurnAsync(client);
                    var second = await TimedTurnAsync(client);
                    var (afterTurns, _) = serve.Memory();
                    series.FirstTurn.Add(first);
                    series.SecondTurn.Add(second);
                    series.RssAfterTurns.Add(afterTurns);
                    Console.WriteLine($"  serve ({(reuseHome ? "existing" : "fresh")} home) run {i + 1}: ready in {Stats.F(serve.StartToReady.TotalMilliseconds, "0")} ms, " +
                        $"idle RSS {Stats.F(r)} MiB (peak {Stats.F(p)} MiB); first turn {Stats.F(first, "0")} ms, second {Stats.F(second, "0")} ms, RSS then {Stats.F(afterTurns)} MiB");
                }
                finally
                {
                    if (shared is null)
                    {
                        BenchEnvironment.DeleteQuietly(home);
                    }
                }
            }
        }
        finally
        {
            BenchEnvironment.DeleteQuietly(shared);
        }

        return series;
    }

    private static async Task<double> TimedTurnAsync(OpenAI.Chat.ChatClient client)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var reply = await client.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("Hello, are you there?")]);
        if (reply.Value.Content[0].Text != "Hello.")
        {
            throw new InvalidOperationException($"serve answered '{reply.Value.Content[0].Text}'.");
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private sealed class Series
    {
        public List<double> Ready { get; } = [];
        public List<double> Listening { get; } = [];
        public List<double> Rss { get; } = [];
        public List<double> Peak { get; } = [];
        public List<double> FirstTurn { get; } = [];
        public List<double> SecondTurn { get; } = [];
        public List<double> RssAfterTurns { get; } = [];
    }
}
