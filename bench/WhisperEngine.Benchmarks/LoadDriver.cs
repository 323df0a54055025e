using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using OpenAI.Chat;
using WhisperEngine.Testing;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// <c>load [--conversations 50] [--turns 20] [--sync full|normal] [--stream] [--think SECONDS] [--warmup SECONDS] [--turns-csv FILE] [--env KEY=VALUE]...</c>: N
/// conversations (distinct <c>user</c>s) at once, each sending M turns one after another through the real CLI <c>serve</c>
/// (child process) with the OpenAI client, against <see cref="FakeOpenAiServer"/>. Reports turns/s and latency
/// percentiles per turn. Without <c>--think</c> the loop is closed (the next turn right after the answer: capacity);
/// with it each user waits a think time drawn from an exponential distribution with that mean (capped at 5x) before
/// each turn, starting at a random point of the first think time, as people in a chat do. <c>--turns-csv</c> writes
/// each measured turn's start (s since the load began) and overhead (ms), in start order: when in
/// the run the slow turns were.
/// </summary>
internal static class LoadDriver
{
    private const string Reply = "Sure, see you tomorrow then.";

    public static async Task<int> RunAsync(string[] args)
    {
        var conversations = IntOption(args, "--conversations", 50);
        var turns = IntOption(args, "--turns", 20);
        var sync = Option(args, "--sync") ?? "full";
        var stream = args.Contains("--stream");
        var think = Option(args, "--think") is { } thinkText ? double.Parse(thinkText, CultureInfo.InvariantCulture) : 0;
        var warmupSeconds = Option(args, "--warmup") is { } warmupText ? double.Parse(warmupText, CultureInfo.InvariantCulture) : 0;
        var turnsCsv = Option(args, "--turns-csv");
        // --latency <OpenRouter export>: each model call waits a generation time drawn from the export; a turn's
        // overhead is its latency minus the delay its model call was given (both sides derive it from the message).
        var latencyFile = Option(args, "--latency");
        var delays = latencyFile is null ? [] : WhisperEngine.Usage.OpenRouter.OpenRouterActivityReader.ReadFile(latencyFile)
            .Select(s => s.GenerationTimeMs).OfType<double>().Where(d => d > 0).ToArray();
        if (latencyFile is not null)
        {
            Console.WriteLine($"model latency: {delays.Length} generation times from {Path.GetFileName(latencyFile)}, median {Stats.F(new Stats(delays).Median, "0")} ms");
        }

        Console.WriteLine($"load: {conversations} conversations x {turns} turns, {(stream ? "streaming" : "CompleteChat")}, storage.sqlite.synchronous={sync}, " +
            (think > 0 ? $"open loop: mean think time {Stats.F(think, "0.#")} s between turns" : "closed loop (no think time)"));

        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.DefaultReply = FakeReply.Text(Reply);
        if (delays.Length > 0)
        {
            fake.Responder = request => FakeReply.Text(Reply, firstTokenDelay: TimeSpan.FromMilliseconds(DelayFor(request.Messages[^1].Content ?? "", delays)));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var home = BenchEnvironment.CreateTempHome("load");
        try
        {
            var environment = new Dictionary<string, string> { ["WHISPERENGINE_STORAGE__SQLITE__SYNCHRONOUS"] = sync, ["WHISPERENGINE_LOGGING__LEVEL"] = "warning" };
            for (var i = 0; i < args.Length - 1; i++)
            {
                if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var key, var value])
                {
                    environment[key] = value;
                    Console.WriteLine($"serve environment: {key}={value}");
                }
            }

            await using var serve = await ServeProcess.StartAsync(home, fake.BaseUrl, FakeOpenAiServer.ModelId, http, environment);
            Console.WriteLine($"serve pid {serve.Id.ToString(CultureInfo.InvariantCulture)} ready in {Stats.F(serve.StartToReady.TotalMilliseconds, "0")} ms at {serve.BaseUrl}");
            var client = ApiBenchmarks.CreateClient("elena", new Uri(serve.BaseUrl, "/v1"));

            // Warm-up: JIT and connection pools of both processes, on users not measured. With --warmup SECONDS, 20 users
            // keep talking (about 40 turns/s) for that long, so that the runtime's tiered JIT has recompiled the hot
            // paths before the measurement (a server that has run for a minute); without it the run starts cold.
            var warmupEnd = Stopwatch.GetTimestamp() + (long)(warmupSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, Math.Min(conversations, warmupSeconds > 0 ? 20 : 10)).Select(async i =>
            {
                for (var t = 0; t < 5 || Stopwatch.GetTimestamp() < warmupEnd; t++)
                {
                    await TurnAsync(client, "warmup-" + i.ToString(CultureInfo.InvariantCulture) + "-" + (t / 20).ToString(CultureInfo.InvariantCulture), stream);
                    if (warmupSeconds > 0)
                    {
                        await Task.Delay(500);
                    }
                }
            }));
            if (warmupSeconds > 0)
            {
                Console.WriteLine($"warm-up: {Stats.F(warmupSeconds, "0")} s of turns from 20 other users");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            var latencies = new double[conversations][];
            var overheads = new double[conversations][];
            // When each turn started (seconds after the gate opened) beside its overhead: the tail by phase of the run.
            var started = new double[conversations][];
            var origin = 0L;
            var errors = 0;
            string? firstError = null;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, conversations).Select(async i =>
            {
                var user = "load-" + i.ToString(CultureInfo.InvariantCulture);
                var mine = new List<double>(turns);
                var overhead = new List<double>(turns);
                var at = new List<double>(turns);
                var random = new Random(i);
                await gate.Task;
                if (think > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() * think));
                }

                for (var t = 0; t < turns; t++)
                {
                    if (think > 0 && t > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(-Math.Log(1 - random.NextDouble()) * think, 5 * think)));
                    }

                    var text = $"Turn {t.ToString(CultureInfo.InvariantCulture)} of {user}: shall we continue our chat about the garden tomorrow?";
                    var turnStarted = Stopwatch.GetTimestamp();
                    try
                    {
                        await TurnAsync(client, user, stream, text);
                        var elapsed = Stopwatch.GetElapsedTime(turnStarted).TotalMilliseconds;
                        mine.Add(elapsed);
                        overhead.Add(elapsed - (delays.Length > 0 ? DelayFor(text, delays) : 0));
                        at.Add(Stopwatch.GetElapsedTime(origin, turnStarted).TotalSeconds);
                    }
                    catch (Exception ex) when (ex is ClientResultException or InvalidOperationException or HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }
                }

                latencies[i] = [.. mine];
                overheads[i] = [.. overhead];
                started[i] = [.. at];
            }).ToArray();

            var serveCpu = serve.CpuTime();
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            origin = Stopwatch.GetTimestamp();
            gate.SetResult();
            await Task.WhenAll(workers);
            wall.Stop();
            serveCpu = serve.CpuTime() - serveCpu;
            ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;

            var (rss, peak) = serve.Memory();
            var all = new Stats(latencies.SelectMany(l => l));
            var throughput = all.Count / wall.Elapsed.TotalSeconds;
            Console.WriteLine();
            var turnsTotal = Math.Max(1, all.Count);
            Console.WriteLine("| Conversations x turns | Think s | Mode | sync | Turns ok | Errors | Wall s | Turns/s | p50 ms | p95 ms | p99 ms | max ms | serve CPU ms/turn | client+fake CPU ms/turn | serve RSS after / peak MiB |");
            Console.WriteLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| {conversations} x {turns} | {Stats.F(think, "0.#")} | {(stream ? "streaming" : "CompleteChat")} | {sync} | {all.Count} | {errors} | {Stats.F(wall.Elapsed.TotalSeconds, "0.00")} | {Stats.F(throughput)} | " +
                $"{Stats.F(all.Median)} | {Stats.F(all.P95)} | {Stats.F(all.P99)} | {Stats.F(all.Max)} | {Stats.F(serveCpu.TotalMilliseconds / turnsTotal, "0.00")} | " +
                $"{Stats.F(ownCpu.TotalMilliseconds / turnsTotal, "0.00")} | {Stats.F(rss, "0")} / {Stats.F(peak, "0")} |");
            var over = new Stats(overheads.Where(o => o is not null).SelectMany(o => o));
            Console.WriteLine();
            Console.WriteLine($"overhead (latency minus model delay): p50 {Stats.F(over.Median)} ms, p95 {Stats.F(over.P95)} ms, p99 {Stats.F(over.P99)} ms, max {Stats.F(over.Max)} ms");
            var timed = overheads.Zip(started).Where(p => p.First is not null).SelectMany(p => p.First.Zip(p.Second)).OrderBy(t => t.Second).ToList();
            if (turnsCsv is not null)
            {
                await File.WriteAllLinesAsync(turnsCsv, ["start_s,overhead_ms", .. timed.Select(t =>
                    string.Create(CultureInfo.InvariantCulture, $"{t.Second:F3},{t.First:F2}"))]);
                Console.WriteLine($"turns: {timed.Count.ToString(CultureInfo.InvariantCulture)} rows in {turnsCsv}");
            }

            if (think > 0)
            {
                // Overhead by when the turn started: the first think time holds every user's first turn (the burst).
                var window = Math.Max(5, (int)think);
                foreach (var group in timed.GroupBy(t => (int)(t.Second / window)).OrderBy(g => g.Key))
                {
                    var part = new Stats(group.Select(t => t.First));
                    Console.WriteLine($"  turns started {(group.Key * window).ToString(CultureInfo.InvariantCulture)}-{((group.Key + 1) * window).ToString(CultureInfo.InvariantCulture)} s: " +
                        $"{part.Count.ToString(CultureInfo.InvariantCulture)} turns, overhead p50 {Stats.F(part.Median)} / p99 {Stats.F(part.P99)} / max {Stats.F(part.Max)} ms");
                }
            }

            if (firstError is not null)
            {
                Console.WriteLine("First error: " + firstError);
            }

            return errors == 0 ? 0 : 1;
        }
        finally
        {
            BenchEnvironment.DeleteQuietly(home);
        }
    }

    /// <summary>The model delay of a message: the same on both sides, from a stable hash of its text.</summary>
    private static double DelayFor(string text, double[] delays)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return delays[hash % (uint)delays.Length];
    }

    private static Task TurnAsync(ChatClient client, string user, bool stream) =>
        TurnAsync(client, user, stream, "Shall we continue our chat about the garden tomorrow?");

    private static async Task TurnAsync(ChatClient client, string user, bool stream, string message)
    {
        ChatMessage[] messages = [new UserChatMessage(message)];
        var options = new ChatCompletionOptions { EndUserId = user };
        string text;
        if (stream)
        {
            var builder = new System.Text.StringBuilder();
            await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
            {
                foreach (var part in update.ContentUpdate)
                {
                    builder.Append(part.Text);
                }
            }

            text = builder.ToString();
        }
        else
        {
            text = (await client.CompleteChatAsync(messages, options)).Value.Content[0].Text;
        }

        if (text != Reply)
        {
            throw new InvalidOperationException($"serve answered '{text}', expected '{Reply}'.");
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
