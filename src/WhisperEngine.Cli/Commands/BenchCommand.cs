using System.CommandLine;
using Spectre.Console;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Cli.Bench.Locomo;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine bench locomo &lt;folder&gt;</c>: long-term memory measured on LoCoMo.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of LoCoMo JSON files (one conversation per file, or locomo10.json)" };
        var defaults = new MemoryOptions();
        var json = new Option<string?>("--json") { Description = "Also write the numbers to this JSON file", HelpName = "file" };
        var mode = new Option<string>("--mode") { Description = "The mode reported at the top level of the JSON (all three run)", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("hybrid", "dense", "bm25");
        var noContext = new Option<bool>("--no-keyword-context") { Description = "Leave the turn a turn answers out of its keyword entry" };
        var contextVector = new Option<float>("--context-vector") { Description = "Weight of the answered turn's vector mixed into each turn's", DefaultValueFactory = _ => defaults.ContextVectorWeight };
        var noCaptions = new Option<bool>("--no-captions") { Description = "Leave the captions of shared photos out of the turns" };
        var pool = new Option<int>("--pool") { Description = "Candidates per ranking before fusion", DefaultValueFactory = _ => defaults.CandidatePool };
        var rrfK = new Option<int>("--rrf-k") { Description = "k of reciprocal-rank fusion", DefaultValueFactory = _ => defaults.RrfK };
        var denseWeight = new Option<double>("--dense-weight") { Description = "Weight of the dense ranking", DefaultValueFactory = _ => defaults.DenseWeight };
        var keywordWeight = new Option<double>("--keyword-weight") { Description = "Weight of the keyword ranking", DefaultValueFactory = _ => defaults.KeywordWeight };
        var recencyWeight = new Option<double>("--recency-weight") { Description = "Recency boost", DefaultValueFactory = _ => defaults.RecencyWeight };
        var duplicate = new Option<float>("--near-duplicate") { Description = "Cosine similarity at which a lower hit is a near-duplicate", DefaultValueFactory = _ => defaults.NearDuplicateSimilarity };

        var store = new Option<string>("--store") { Description = "Memory store: sqlite (a temporary file) or postgres (a temporary schema, see --postgres)", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL connection string for --store postgres (default: WHISPERENGINE_BENCH_POSTGRES); a schema of the bench's own is created and dropped",
            HelpName = "connection",
        };
        var dateWeight = new Option<double>("--date-weight") { Description = "Boost for memories said at a time the question names (0: off)", DefaultValueFactory = _ => defaults.DateWeight };
        var speakerWeight = new Option<double>("--speaker-weight") { Description = "Boost for memories of a speaker the question names", DefaultValueFactory = _ => defaults.SpeakerWeight };
        var importanceWeight = new Option<double>("--importance-weight") { Description = "Boost per unit of importance above 0.5", DefaultValueFactory = _ => defaults.ImportanceWeight };
        var noImportance = new Option<bool>("--no-importance-estimate") { Description = "Write every turn with the neutral importance 0.5" };
        var noReply = new Option<bool>("--no-keyword-reply") { Description = "Leave the turn that answered a turn out of its keyword entry" };
        var namesAsKeywords = new Option<bool>("--names-as-keywords") { Description = "Match the speakers' names in the words of memories too" };
        var mmr = new Option<double>("--mmr-lambda") { Description = "Maximal-marginal-relevance reranking (1: off)", DefaultValueFactory = _ => defaults.DiversityLambda };
        var cluster = new Option<bool>("--cluster") { Description = "Cluster each conversation's memories by topic after writing them (timed)" };
        var clusterWeight = new Option<double>("--cluster-weight") { Description = "Boost for memories in the clusters of the top three (needs --cluster)", DefaultValueFactory = _ => defaults.ClusterWeight };
        var maxPerCluster = new Option<int>("--max-per-cluster") { Description = "Hits of one cluster before other clusters' (0: no limit; needs --cluster)", DefaultValueFactory = _ => defaults.MaxPerCluster };
        var ablation = new Option<bool>("--ablation") { Description = "Then score hybrid recall with one retrieval setting changed at a time, on the same memories" };
        var precision = new Option<string>("--precision") { Description = "The local MiniLM model's arithmetic (as ai.embeddings.precision)",
            DefaultValueFactory = _ => MiniLmEmbeddingGenerator.DefaultPrecision == EmbeddingPrecision.Int8 ? "int8" : "float32" };
        precision.AcceptOnlyFromAmong("int8", "float32");
        var sweep = new Option<bool>("--sweep") { Description = "Then try a grid of fusion settings (RRF k, keyword weight) on the same memories" };
        var keywordIndex = new Option<string>("--keyword-index")
        {
            Description = "Keyword search: memory (the in-memory index) or store (the store's full-text search)",
            DefaultValueFactory = _ => defaults.KeywordIndex == KeywordIndexMode.Memory ? "memory" : "store",
        };
        keywordIndex.AcceptOnlyFromAmong("memory", "store");
        var locomo = new Command("locomo", "Write every turn of each LoCoMo conversation as a memory and ask every question of categories 1-4 "
            + "through the engine's retrieval (hybrid, dense-only and BM25-only); report recall, context tokens and latency.")
        {
            folder, json, mode, noContext, contextVector, noCaptions, pool, rrfK, denseWeight, keywordWeight, recencyWeight, duplicate, dateWeight, speakerWeight,
            importanceWeight, noImportance, noReply, namesAsKeywords, mmr, cluster, clusterWeight, maxPerCluster, ablation, sweep,
            store, postgres, precision, keywordIndex,
        };
        locomo.SetAction((result, cancellationToken) => CliApp.Guard(async () =>
        {
            var storeName = result.GetValue(store)!;
            var connection = result.GetValue(postgres) ?? Environment.GetEnvironmentVariable("WHISPERENGINE_BENCH_POSTGRES");
            if (storeName == "postgres" && string.IsNullOrWhiteSpace(connection))
            {
                CliApp.Error("--store postgres needs a server: pass --postgres \"Host=...;Username=...;Database=...\" or set WHISPERENGINE_BENCH_POSTGRES.");
                return ExitCodes.InvalidConfiguration;
            }

            var options = new LocomoBenchOptions
            {
                Folder = result.GetValue(folder)!,
                Store = storeName,
                PostgresConnectionString = connection,
                Primary = result.GetValue(mode) switch { "dense" => RetrievalMode.Dense, "bm25" => RetrievalMode.Keyword, _ => RetrievalMode.Hybrid },
                Captions = !result.GetValue(noCaptions),
                Sweep = result.GetValue(sweep),
                Ablation = result.GetValue(ablation),
                Cluster = result.GetValue(cluster),
                Precision = result.GetValue(precision) == "float32" ? EmbeddingPrecision.Float32 : EmbeddingPrecision.Int8,
                Memory = new MemoryOptions
                {
                    KeywordContext = !result.GetValue(noContext),
                    ContextVectorWeight = result.GetValue(contextVector),
                    CandidatePool = result.GetValue(pool),
                    RrfK = result.GetValue(rrfK),
                    DenseWeight = result.GetValue(denseWeight),
                    KeywordWeight = result.GetValue(keywordWeight),
                    RecencyWeight = result.GetValue(recencyWeight),
                    NearDuplicateSimilarity = result.GetValue(duplicate),
                    DateWeight = result.GetValue(dateWeight),
                    SpeakerWeight = result.GetValue(speakerWeight),
                    ImportanceWeight = result.GetValue(importanceWeight),
                    EstimateImportance = !result.GetValue(noImportance),
                    KeywordReply = !result.GetValue(noReply),
                    SpeakerNamesAsKeywords = result.GetValue(namesAsKeywords),
                    DiversityLambda = result.GetValue(mmr),
                    ClusterWeight = result.GetValue(clusterWeight),
                    MaxPerCluster = result.GetValue(maxPerCluster),
                    KeywordIndex = result.GetValue(keywordIndex) == "store" ? KeywordIndexMode.Store : KeywordIndexMode.Memory,
                },
            };
            if (!options.Cluster && (options.Memory.ClusterWeight > 0 || options.Memory.MaxPerCluster > 0))
            {
                CliApp.Error("--cluster-weight and --max-per-cluster need --cluster (memories have no cluster otherwise).");
                return ExitCodes.InvalidConfiguration;
            }

            try
            {
                options.Memory.Validate();
            }
            catch (ArgumentException ex)
            {
                CliApp.Error(ex.Message);
                return ExitCodes.InvalidConfiguration;
            }

            var report = await RunAsync(options, cancellationToken);
            LocomoReport.WriteTable(report, AnsiConsole.Console);
            if (result.GetValue(json) is { } path)
            {
                LocomoReport.WriteJson(report, path);
                AnsiConsole.Console.WriteLine($"wrote {path}");
            }

            return ExitCodes.Ok;
        }));

        return new Command("bench", "Benchmarks of the engine's parts.") { locomo, BenchMemoryCommand.Create() };
    }

    private static async Task<LocomoBenchResult> RunAsync(LocomoBenchOptions options, CancellationToken cancellationToken)
    {
        var conversations = LocomoReader.ReadFolder(options.Folder);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Stop cleanly so that the temporary database is deleted.
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            LocomoBenchResult? report = null;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var writing = context.AddTask("writing memories", maxValue: Math.Max(1, conversations.Sum(c => c.TurnCount)));
                    var asking = context.AddTask("asking questions", maxValue: Math.Max(1, LocomoBench.CountQuestions(conversations)));
                    var bench = new LocomoBench(options)
                    {
                        OnMemoryWritten = () => writing.Increment(1),
                        OnQuestionAsked = () => asking.Increment(1),
                        OnSweepPoint = p => AnsiConsole.MarkupLineInterpolated(
                            $"sweep k={p.RrfK} dense={p.DenseWeight} keyword={p.KeywordWeight}: recall_any@10 {p.RecallAnyAt10:0.000} @20 {p.RecallAnyAt20:0.000} tokens@10 {p.TokensAt10:0}"),
                        OnAblationRow = r => AnsiConsole.MarkupLineInterpolated(
                            $"ablation {r.Name}: recall_any@10 {r.Metrics.RecallAnyAt10:0.000} budget {r.Metrics.RecallAnyBudget:0.000}"),
                    };
                    report = await bench.RunAsync(conversations, cancel.Token);
                    writing.Value = writing.MaxValue;
                    asking.Value = asking.MaxValue;
                });
            return report!;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
