using System.Text.Json;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary><c>whisperengine bench memory</c> on a small partition, run as a user would.</summary>
public sealed class MemoryBenchCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BenchMemory_SmallPartition_WritesEveryFigureThenReusesTheCache()
    {
        var json = _dir.File("memory.json");
        var cache = _dir.File("cache");
        string[] args = ["bench", "memory", "--memories", "400", "--queries", "6", "--writes", "4", "--cache", cache, "--json", json];

        var result = await CliRunner.RunAsync(args, timeout: TimeSpan.FromMinutes(8));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(json)))
        {
            var root = document.RootElement;
            foreach (var key in new[] { "search_p50_ms_400", "search_p95_ms_400", "write_p50_ms", "write_p95_ms" })
            {
                Assert.True(root.GetProperty(key).GetDouble() > 0, key);
            }

            var size = root.GetProperty("sizes")[0];
            Assert.Equal(400, size.GetProperty("memories").GetInt32());
            Assert.True(size.GetProperty("fill_seconds").GetDouble() > 0, "the first run fills the partition");
            Assert.InRange(size.GetProperty("hnsw_recall_at_10").GetDouble(), 0.5, 1);
            Assert.InRange(size.GetProperty("hnsw_recall_at_10_public").GetDouble(), 0.5, 1);
            foreach (var sample in new[] { "embed_query_package", "embed_query", "vector_exact", "vector_hnsw", "search_baseline", "search_exact", "search_hnsw" })
            {
                Assert.Equal(6, size.GetProperty(sample).GetProperty("count").GetInt32());
            }

            Assert.Equal(4, size.GetProperty("write").GetProperty("count").GetInt32());
            Assert.Equal(4, size.GetProperty("write_baseline").GetProperty("count").GetInt32());
        }

        Assert.Contains("HNSW recall@10", result.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(cache, "*.db"));

        // The second run starts from the kept partition (the writes of the first run did not reach it).
        var again = await CliRunner.RunAsync(["bench", "memory", "--memories", "400", "--queries", "3", "--writes", "2", "--cache", cache, "--json", json,
            "--no-baseline"], timeout: TimeSpan.FromMinutes(5));
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        using var second = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(0, second.RootElement.GetProperty("sizes")[0].GetProperty("fill_seconds").GetDouble());
        Assert.False(second.RootElement.GetProperty("sizes")[0].TryGetProperty("search_baseline", out _));
    }

    [Theory]
    [InlineData("--memories", "ten", "--memories")]
    [InlineData("--memories", "50", "--memories")]
    [InlineData("--hnsw-connectivity", "1", "memory.hnsw.Connectivity")]
    public async Task BenchMemory_BadOption_ClearErrorNamesIt(string option, string value, string named)
    {
        var result = await CliRunner.RunAsync(["bench", "memory", option, value, "--no-cache"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
