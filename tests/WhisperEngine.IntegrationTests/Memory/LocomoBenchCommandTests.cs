using System.Text.Json;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary><c>whisperengine bench locomo</c> on a tiny LoCoMo-format conversation, run as a user would.</summary>
public sealed class LocomoBenchCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BenchLocomo_TinyFixture_WritesEveryKeyWithRecallsInRange()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "locomo-tiny");
        var json = _dir.File("locomo.json");

        var result = await CliRunner.RunAsync(["bench", "locomo", folder, "--json", json], timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = document.RootElement;
        string[] recalls = ["recall_any@5", "recall_any@10", "recall_any@20", "recall_all@10", "recall_any_budget1500"];
        foreach (var key in recalls.Concat(["tokens@10", "search_p50_ms", "search_p95_ms", "write_p95_ms", "questions"]))
        {
            Assert.True(root.TryGetProperty(key, out var value), $"missing {key}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }

        foreach (var key in recalls.Concat(["recall_any@10_cat1", "recall_any@10_cat2", "recall_any@10_cat4"]))
        {
            Assert.InRange(root.GetProperty(key).GetDouble(), 0, 1);
        }

        // Category 5 is adversarial and skipped; the malformed ids ("D2:4; D3:1", "D2:01") still count.
        Assert.Equal(3, root.GetProperty("questions").GetInt32());
        Assert.Equal(12, root.GetProperty("memories").GetInt32());
        Assert.Equal(0, root.GetProperty("questions_skipped").GetInt32());
        foreach (var mode in new[] { "hybrid", "dense", "bm25" })
        {
            Assert.Equal(3, root.GetProperty("modes").GetProperty(mode).GetProperty("questions").GetInt32());
        }

        // Twelve short turns all fit in 20 results, so every question finds its evidence.
        Assert.Equal(1.0, root.GetProperty("recall_any@20").GetDouble());
        Assert.True(root.GetProperty("tokens@10").GetDouble() > 0);
        Assert.Contains("recall_any@10", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchLocomo_MissingFolder_ClearErrorNonZeroExit()
    {
        var result = await CliRunner.RunAsync(["bench", "locomo", _dir.File("nowhere")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
