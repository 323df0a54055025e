using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>Writes a LoCoMo result as a table (every mode side by side) and as JSON (the primary mode's numbers at the top level).</summary>
internal static class LocomoReport
{
    public static void WriteTable(LocomoBenchResult result, IAnsiConsole console)
    {
        var modes = result.Modes.Keys.ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"LoCoMo ({result.Options.Store}, keyword index {(result.Options.Memory.KeywordIndex == WhisperEngine.Memory.Keywords.KeywordIndexMode.Memory ? "memory" : "store")}): {result.Conversations} conversations, {result.Memories} memories, {result.Primary.Questions} questions (categories 1-4)")
            .AddColumn("metric");
        foreach (var mode in modes)
        {
            table.AddColumn(new TableColumn(Name(mode) + (mode == result.Options.Primary ? " *" : "")).RightAligned());
        }

        void Row(string name, Func<ModeMetrics, double> value, string format)
        {
            table.AddRow([name, .. modes.Select(m => value(result.Modes[m]).ToString(format, CultureInfo.InvariantCulture))]);
        }

        Row("recall_any@5", m => m.RecallAnyAt5, "0.000");
        Row("recall_any@10", m => m.RecallAnyAt10, "0.000");
        Row("recall_any@20", m => m.RecallAnyAt20, "0.000");
        Row("recall_all@10", m => m.RecallAllAt10, "0.000");
        Row($"recall_any_budget{result.Options.Budget}", m => m.RecallAnyBudget, "0.000");
        Row("tokens@10", m => m.TokensAt10, "0");
        Row($"memories in {result.Options.Budget} tokens", m => m.HitsBudget, "0.0");
        Row("search_p50_ms", m => m.SearchP50Ms, "0.0");
        Row("search_p95_ms", m => m.SearchP95Ms, "0.0");
        foreach (var category in result.Primary.Categories.Keys)
        {
            Row($"recall_any@10 category {category}", m => m.Categories.TryGetValue(category, out var c) ? c.RecallAt10 : 0, "0.000");
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory writes: p50 {result.WriteP50Ms:0.0} ms, p95 {result.WriteP95Ms:0.0} ms ({result.Memories} in {result.IngestSeconds:0.0} s; model load {result.EmbedderLoadSeconds:0.0} s)"));
        if (result.ClusteringMs.Count > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"topic clustering: {result.ClusteringMs.Count} partitions, {result.ClusteringMs.Sum():0} ms in all, at most {result.ClusteringMs.Max():0} ms for one"));
        }

        if (result.Ablation.Count > 0)
        {
            var ablation = new Table().Border(TableBorder.Rounded).Title("hybrid, one setting changed (same memories)")
                .AddColumn("setting").AddColumn(new TableColumn("@5").RightAligned()).AddColumn(new TableColumn("@10").RightAligned())
                .AddColumn(new TableColumn("@20").RightAligned()).AddColumn(new TableColumn($"budget{result.Options.Budget}").RightAligned())
                .AddColumn(new TableColumn("tokens@10").RightAligned());
            foreach (var row in result.Ablation)
            {
                var m = row.Metrics;
                ablation.AddRow(row.Name, F(m.RecallAnyAt5), F(m.RecallAnyAt10), F(m.RecallAnyAt20), F(m.RecallAnyBudget),
                    m.TokensAt10.ToString("0", CultureInfo.InvariantCulture));
            }

            console.Write(ablation);
        }

        if (result.QuestionsSkipped > 0 || result.EvidenceUnknown > 0)
        {
            console.WriteLine($"{result.QuestionsSkipped} question(s) without a usable evidence id skipped; {result.EvidenceUnknown} evidence id(s) name no turn.");
        }
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static void WriteJson(LocomoBenchResult result, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteMode(json, result.Primary, result.Options.Budget);
        json.WriteNumber("write_p50_ms", Round(result.WriteP50Ms));
        json.WriteNumber("write_p95_ms", Round(result.WriteP95Ms));
        json.WriteString("mode", Name(result.Options.Primary));
        json.WriteString("store", result.Options.Store);
        json.WriteString("keyword_index", result.Options.Memory.KeywordIndex == WhisperEngine.Memory.Keywords.KeywordIndexMode.Memory ? "memory" : "store");
        json.WriteNumber("conversations", result.Conversations);
        json.WriteNumber("memories", result.Memories);
        json.WriteNumber("questions_skipped", result.QuestionsSkipped);
        json.WriteNumber("evidence_ids_unknown", result.EvidenceUnknown);
        json.WriteNumber("ingest_seconds", Round(result.IngestSeconds));
        json.WriteNumber("model_load_seconds", Round(result.EmbedderLoadSeconds));
        json.WriteString("embedding_model", MiniLmEmbeddingGenerator.ModelIdFor(result.Options.Precision));
        json.WriteStartObject("modes");
        foreach (var (mode, metrics) in result.Modes)
        {
            json.WriteStartObject(Name(mode));
            WriteMode(json, metrics, result.Options.Budget);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        var memory = result.Options.Memory;
        json.WriteStartObject("settings");
        json.WriteNumber("candidate_pool", memory.CandidatePool);
        json.WriteNumber("rrf_k", memory.RrfK);
        json.WriteNumber("dense_weight", memory.DenseWeight);
        json.WriteNumber("keyword_weight", memory.KeywordWeight);
        json.WriteNumber("recency_weight", memory.RecencyWeight);
        json.WriteNumber("importance_weight", memory.ImportanceWeight);
        json.WriteNumber("near_duplicate_similarity", memory.NearDuplicateSimilarity);
        json.WriteBoolean("keyword_context", memory.KeywordContext);
        json.WriteBoolean("keyword_reply", memory.KeywordReply);
        json.WriteBoolean("estimate_importance", memory.EstimateImportance);
        json.WriteNumber("date_weight", memory.DateWeight);
        json.WriteNumber("date_tolerance_days", memory.DateToleranceDays);
        json.WriteNumber("speaker_weight", memory.SpeakerWeight);
        json.WriteBoolean("speaker_names_as_keywords", memory.SpeakerNamesAsKeywords);
        json.WriteNumber("access_weight", memory.AccessWeight);
        json.WriteNumber("mmr_lambda", memory.DiversityLambda);
        json.WriteBoolean("clustered", result.Options.Cluster);
        json.WriteNumber("cluster_weight", memory.ClusterWeight);
        json.WriteNumber("max_per_cluster", memory.MaxPerCluster);
        json.WriteNumber("context_vector_weight", memory.ContextVectorWeight);
        json.WriteBoolean("captions", result.Options.Captions);
        json.WriteNumber("budget_tokens", result.Options.Budget);
        json.WriteEndObject();
        if (result.ClusteringMs.Count > 0)
        {
            json.WriteNumber("clustering_total_ms", Round(result.ClusteringMs.Sum()));
            json.WriteNumber("clustering_max_ms", Round(result.ClusteringMs.Max()));
        }

        if (result.Ablation.Count > 0)
        {
            json.WriteStartArray("ablation");
            foreach (var row in result.Ablation)
            {
                json.WriteStartObject();
                json.WriteString("setting", row.Name);
                WriteMode(json, row.Metrics, result.Options.Budget);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("machine");
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteNumber("cpus", Environment.ProcessorCount);
        json.WriteString("cpu", CpuName());
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        stream.Write("\n"u8);
    }

    private static void WriteMode(Utf8JsonWriter json, ModeMetrics m, int budget)
    {
        json.WriteNumber("recall_any@5", Round(m.RecallAnyAt5));
        json.WriteNumber("recall_any@10", Round(m.RecallAnyAt10));
        json.WriteNumber("recall_any@20", Round(m.RecallAnyAt20));
        json.WriteNumber("recall_all@10", Round(m.RecallAllAt10));
        json.WriteNumber($"recall_any_budget{budget}", Round(m.RecallAnyBudget));
        json.WriteNumber("tokens@10", Round(m.TokensAt10));
        json.WriteNumber($"tokens_budget{budget}", Round(m.TokensBudget));
        json.WriteNumber($"memories_budget{budget}", Round(m.HitsBudget));
        json.WriteNumber("search_p50_ms", Round(m.SearchP50Ms));
        json.WriteNumber("search_p95_ms", Round(m.SearchP95Ms));
        json.WriteNumber("questions", m.Questions);
        foreach (var (category, c) in m.Categories)
        {
            json.WriteNumber($"recall_any@10_cat{category}", Round(c.RecallAt10));
            json.WriteNumber($"questions_cat{category}", c.Questions);
        }
    }

    public static string Name(RetrievalMode mode) => mode switch
    {
        RetrievalMode.Dense => "dense",
        RetrievalMode.Keyword => "bm25",
        _ => "hybrid",
    };

    private static double Round(double value) => Math.Round(value, 4);

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
