using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Usage;

/// <summary><c>whisperengine usage report --openrouter</c> over the real export sample, checked against a hand computation.</summary>
public sealed class UsageReportOpenRouterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The figures computed straight from the CSV, without any of the report code.</summary>
    private sealed record HandFigures(int Requests, decimal Cost, double AvgPrompt, double AvgCompletion, Dictionary<string, (int Requests, decimal Cost)> Models);

    private static HandFigures ComputeByHand(string csv)
    {
        var lines = File.ReadAllLines(csv).Where(l => l.Length > 0).ToList();
        // The sample quotes nothing, so a plain split is a faithful reading of it.
        Assert.DoesNotContain(lines, l => l.Contains('"', StringComparison.Ordinal));
        var header = lines[0].Split(',').ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        int Col(string name) => header.IndexOf(name);
        var models = new Dictionary<string, (int, decimal)>();
        decimal cost = 0;
        long prompt = 0, completion = 0;
        foreach (var r in rows)
        {
            var c = decimal.Parse(r[Col("cost_total")], CultureInfo.InvariantCulture);
            cost += c;
            prompt += long.Parse(r[Col("tokens_prompt")], CultureInfo.InvariantCulture);
            completion += long.Parse(r[Col("tokens_completion")], CultureInfo.InvariantCulture);
            var model = r[Col("model_permaslug")];
            var (n, sum) = models.GetValueOrDefault(model);
            models[model] = (n + 1, sum + c);
        }

        return new HandFigures(rows.Count, cost, (double)prompt / rows.Count, (double)completion / rows.Count, models);
    }

    [Fact]
    public async Task Report_OpenRouterSampleAsJson_MatchesHandComputation()
    {
        var csv = SharedData.OpenRouterSample;
        var hand = ComputeByHand(csv);

        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv, "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(300, hand.Requests);
        Assert.Equal(hand.Requests, root.GetProperty("requests").GetInt32());
        Assert.Equal(hand.Cost, root.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(hand.AvgPrompt, root.GetProperty("avg_prompt_tokens").GetDouble(), 9);
        Assert.Equal(hand.AvgCompletion, root.GetProperty("avg_completion_tokens").GetDouble(), 9);
        var byModel = root.GetProperty("by_model").EnumerateArray().ToList();
        Assert.Equal(hand.Models.Count, byModel.Count);
        foreach (var m in byModel)
        {
            var (requests, cost) = hand.Models[m.GetProperty("model").GetString()!];
            Assert.Equal(requests, m.GetProperty("requests").GetInt32());
            Assert.Equal(cost, m.GetProperty("cost_usd").GetDecimal());
            Assert.Equal((double)(cost / hand.Cost), m.GetProperty("share").GetDouble(), 12);
        }

        Assert.Equal(hand.Models.OrderByDescending(m => m.Value.Cost).Select(m => m.Key), byModel.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(1.0, byModel.Sum(m => m.GetProperty("share").GetDouble()), 9);
    }

    [Fact]
    public async Task Report_OpenRouterSampleAsTable_ShowsTotalsAndProjections()
    {
        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", SharedData.OpenRouterSample]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("openai/gpt-4o", result.Output, StringComparison.Ordinal);
        Assert.Contains("$0.8005", result.Output, StringComparison.Ordinal);
        Assert.Contains("Projected cost", result.Output, StringComparison.Ordinal);
        Assert.Contains("1,000", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ChartPngAndHtml_WritesAPngAndAnSvgBarPerModel()
    {
        var csv = SharedData.OpenRouterSample;
        var models = ComputeByHand(csv).Models.Keys;
        var png = _dir.File("x.png");
        var html = _dir.File(Path.Combine("charts", "x.html"));

        var first = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv, "--format", "json", "--chart", png]);
        var second = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv, "--format", "csv", "--chart", html]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        JsonDocument.Parse(first.Output).Dispose();
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal(1000, width);
        Assert.InRange(height, 200, 2000);
        var page = await File.ReadAllTextAsync(html);
        var svg = Regex.Match(page, "<svg id=\"cost-per-model\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Equal(models.Count, Regex.Count(svg, "<rect class=\"bar model-bar\""));
        Assert.All(models, m => Assert.Contains(">" + m + "</text>", svg, StringComparison.Ordinal));
        Assert.StartsWith("model,requests,cost_usd,share", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MalformedCsv_NamesFileAndLineAndExitsNonZero()
    {
        var csv = _dir.Write("bad.csv",
            "created_at,cost_total,tokens_prompt,tokens_completion,model_permaslug\n" +
            "2025-09-13 10:00:00,0.1,10,5,openai/gpt-4o\n" +
            "2025-09-13 10:00:01,0.1,10,5,\"openai/gpt-4o\n");

        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains($"{csv}:3:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MissingColumn_NamesTheColumn()
    {
        var csv = _dir.Write("cols.csv", "created_at,tokens_prompt,tokens_completion,model_permaslug\n2025-09-13 10:00:00,10,5,m\n");

        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv, "--format", "json"]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains($"{csv}:1: missing required column 'cost_total'", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Report_MissingFile_SaysNotFoundAndExitsNonZero()
    {
        var csv = _dir.File("nowhere.csv");

        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", csv]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains($"{csv}: file not found", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ChartWithUnknownExtension_IsRefusedBeforeReading()
    {
        var result = await CliRunner.RunAsync(["usage", "report", "--openrouter", _dir.File("nowhere.csv"), "--chart", _dir.File("x.gif")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(".png or .html", result.Error, StringComparison.Ordinal);
    }
}
