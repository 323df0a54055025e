using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>Writes memory benchmark runs as a table per size and as JSON.</summary>
internal static class MemoryBenchReport
{
    public static void WriteTable(IReadOnlyList<MemoryBenchRun> runs, MemoryBenchOptions options, string store, string loadBefore, string loadAfter,
        IAnsiConsole console)
    {
        foreach (var run in runs)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"{run.Memories:N0} memories in one partition ({store}); {options.Queries} queries, {options.Writes} writes per variant")
                .AddColumn("ms").AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p95").RightAligned())
                .AddColumn(new TableColumn("p99").RightAligned());
            void Row(string name, LatencySample sample)
            {
                if (sample.Count > 0)
                {
                    table.AddRow(name, F(sample.P50), F(sample.P95), F(sample.P99));
                }
            }

            Row("query embedding, package encoder", run.EmbedQueryPackage);
            Row($"query embedding, engine runner ({Name(options.Precision)})", run.EmbedQuery);
            Row($"query embedding, engine runner, {Name(options.OtherPrecision)}", run.EmbedQueryOther);
            Row("vector top 50, exact scan", run.VectorExact);
            Row("vector top 50, HNSW", run.VectorHnsw);
            Row("vector top 10, HNSW, public channel", run.VectorHnswPublic);
            Row("keyword top 50 (FTS5), every word", run.KeywordEveryWord);
            Row("keyword top 50 (FTS5), row budget", run.Keyword);
            Row("keyword top 50, in-memory index", run.KeywordIndex);
            Row("keyword top 50, in-memory, public channel", run.KeywordIndexPublic);
            Row("search, baseline: package + exact", run.SearchBaseline);
            Row("search: runner + exact", run.SearchExact);
            Row("search: runner + HNSW", run.SearchHnsw);
            Row("search: runner + HNSW + in-memory keywords", run.SearchHnswKeywordIndex);
            Row($"embed a memory, engine runner ({Name(options.Precision)})", run.EmbedMemory);
            Row($"embed a memory, engine runner, {Name(options.OtherPrecision)}", run.EmbedMemoryOther);
            Row("insert alone (row, FTS5, commit)", run.Insert);
            Row("write, package encoder", run.WriteBaseline);
            Row("write, engine runner", run.Write);
            console.Write(table);
            var fill = run.FillSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $"filled in {run.FillSeconds:0} s") : "filled from the cache";
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HNSW recall@10 vs exact: {run.RecallAt10:0.000} (direct message), {run.RecallAt10Public:0.000} (public channel); keyword recall@10 vs FTS5 every word: row budget {run.KeywordRecallAt10:0.000}, in-memory index {run.KeywordIndexRecallAt10:0.000}; in-memory keyword index load {run.KeywordIndexLoadMs:0} ms, {run.KeywordIndexBytesPerMemory:0} bytes per memory; index load {run.IndexLoadMs:0} ms, graph build {run.GraphBuildSeconds:0.0} s, RSS {run.RssMiB:0} MiB, {fill}"));
        }

        console.WriteLine($"load average before: {loadBefore}; after: {loadAfter}");
    }

    public static void WriteJson(IReadOnlyList<MemoryBenchRun> runs, MemoryBenchOptions options, string store, string loadBefore, string loadAfter, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var run in runs)
        {
            var engine = run.Memories >= options.Hnsw.MinimumPartitionSize ? run.SearchHnsw : run.SearchExact;
            json.WriteNumber($"search_p50_ms_{run.Memories}", Round(engine.P50));
            json.WriteNumber($"search_p95_ms_{run.Memories}", Round(engine.P95));
        }

        json.WriteNumber("write_p50_ms", Round(runs.Max(r => r.Write.P50)));
        json.WriteNumber("write_p95_ms", Round(runs.Max(r => r.Write.P95)));
        json.WriteString("store", store);
        json.WriteString("embedding_model", MiniLmEmbeddingGenerator.ModelIdFor(options.Precision));
        json.WriteString("embedding_precision", Name(options.Precision));
        json.WriteString("other_precision", Name(options.OtherPrecision));
        json.WriteNumber("hnsw_minimum_partition_size", options.Hnsw.MinimumPartitionSize);
        json.WriteString("load_average_before", loadBefore);
        json.WriteString("load_average_after", loadAfter);
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteStartArray("sizes");
        foreach (var run in runs)
        {
            json.WriteStartObject();
            json.WriteNumber("memories", run.Memories);
            json.WriteNumber("fill_seconds", Round(run.FillSeconds));
            json.WriteNumber("index_load_ms", Round(run.IndexLoadMs));
            json.WriteNumber("graph_build_seconds", Round(run.GraphBuildSeconds));
            json.WriteNumber("rss_mib", Round(run.RssMiB));
            json.WriteNumber("hnsw_recall_at_10", Round(run.RecallAt10, 4));
            json.WriteNumber("hnsw_recall_at_10_public", Round(run.RecallAt10Public, 4));
            json.WriteNumber("keyword_recall_at_10", Round(run.KeywordRecallAt10, 4));
            json.WriteNumber("keyword_index_recall_at_10", Round(run.KeywordIndexRecallAt10, 4));
            json.WriteNumber("keyword_index_load_ms", Round(run.KeywordIndexLoadMs));
            json.WriteNumber("keyword_index_bytes_per_memory", Round(run.KeywordIndexBytesPerMemory, 0));
            Sample(json, "embed_query_package", run.EmbedQueryPackage);
            Sample(json, "embed_query", run.EmbedQuery);
            Sample(json, "embed_query_other_precision", run.EmbedQueryOther);
            Sample(json, "vector_exact", run.VectorExact);
            Sample(json, "vector_hnsw", run.VectorHnsw);
            Sample(json, "vector_hnsw_public", run.VectorHnswPublic);
            Sample(json, "keyword", run.Keyword);
            Sample(json, "keyword_every_word", run.KeywordEveryWord);
            Sample(json, "keyword_index", run.KeywordIndex);
            Sample(json, "keyword_index_public", run.KeywordIndexPublic);
            Sample(json, "search_baseline", run.SearchBaseline);
            Sample(json, "search_exact", run.SearchExact);
            Sample(json, "search_hnsw", run.SearchHnsw);
            Sample(json, "search_hnsw_keyword_index", run.SearchHnswKeywordIndex);
            Sample(json, "embed_memory", run.EmbedMemory);
            Sample(json, "embed_memory_other_precision", run.EmbedMemoryOther);
            Sample(json, "insert", run.Insert);
            Sample(json, "write_baseline", run.WriteBaseline);
            Sample(json, "write", run.Write);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Sample(Utf8JsonWriter json, string name, LatencySample sample)
    {
        if (sample.Count == 0)
        {
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("p50_ms", Round(sample.P50));
        json.WriteNumber("p95_ms", Round(sample.P95));
        json.WriteNumber("p99_ms", Round(sample.P99));
        json.WriteNumber("count", sample.Count);
        json.WriteEndObject();
    }

    private static string Name(EmbeddingPrecision precision) => precision == EmbeddingPrecision.Int8 ? "int8" : "float32";

    private static double Round(double value, int digits = 2) => Math.Round(value, digits);

    private static string F(double value) => value.ToString(value < 1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);
}
