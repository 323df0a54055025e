using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WhisperEngine.Usage;
using WhisperEngine.Usage.Charts;
using WhisperEngine.Usage.Export;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.UnitTests.Usage;

public sealed class UsageOutputTests
{
    private static readonly DateTimeOffset At = new(2025, 9, 13, 8, 0, 0, TimeSpan.Zero);

    private static UsageReport Report(params (string Model, decimal Cost)[] calls) => UsageReportBuilder.Build(
        calls.Select((c, i) => new UsageSample { Timestamp = At.AddHours(i), Model = c.Model, CostUsd = c.Cost, PromptTokens = 10, CompletionTokens = 5 }),
        "test.csv", "openrouter");

    [Fact]
    public void Json_Report_HasTheRequiredSnakeCaseKeys()
    {
        using var json = JsonDocument.Parse(UsageReportJson.ToJson(Report(("a/x", 0.3m), ("b/y", 0.1m))));
        var root = json.RootElement;

        Assert.Equal(2, root.GetProperty("requests").GetInt32());
        Assert.Equal(0.4m, root.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(10, root.GetProperty("avg_prompt_tokens").GetDouble());
        Assert.Equal(5, root.GetProperty("avg_completion_tokens").GetDouble());
        var first = root.GetProperty("by_model")[0];
        Assert.Equal("a/x", first.GetProperty("model").GetString());
        Assert.Equal(1, first.GetProperty("requests").GetInt32());
        Assert.Equal(0.3m, first.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0.75, first.GetProperty("share").GetDouble(), 12);
        Assert.Equal("2025-09-13", root.GetProperty("by_day")[0].GetProperty("date").GetString());
        Assert.True(root.GetProperty("time_to_first_token_ms").TryGetProperty("p95", out _));
        Assert.Equal("all", root.GetProperty("prompt_tokens_per_request")[0].GetProperty("name").GetString());
        Assert.Equal(10, root.GetProperty("prompt_tokens_per_request")[0].GetProperty("prompt_tokens").GetProperty("p50").GetDouble());
        Assert.Equal(4, root.GetProperty("projections").GetArrayLength());
    }

    [Fact]
    public void Csv_ModelWithComma_IsQuoted()
    {
        var writer = new StringWriter();

        UsageReportCsv.Write(Report(("a, \"b\"", 1m)), writer);

        var lines = writer.ToString().Split('\n');
        Assert.Equal(UsageReportCsv.Header, lines[0]);
        Assert.StartsWith("\"a, \"\"b\"\"\",1,1,1,1,10,5,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ThreeModels_OneBarEachAndNamesEscaped()
    {
        var writer = new StringWriter();

        HtmlChart.Write(Report(("a/x", 0.3m), ("<x-model>", 0.2m), ("c/z", 0.1m)), writer);

        var html = writer.ToString();
        var modelChart = Regex.Match(html, "<svg id=\"cost-per-model\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Equal(3, Regex.Count(modelChart, "class=\"bar model-bar\""));
        Assert.Contains("&lt;x-model&gt;", modelChart, StringComparison.Ordinal);
        Assert.DoesNotContain("<x-model>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg id=\"cost-per-day\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_Report_IsAValidPngWithCrcCheckedChunksAndFullRows()
    {
        using var stream = new MemoryStream();

        PngChart.Write(Report(("a/x", 0.3m), ("b/y", 0.1m)), stream);

        var png = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(PngChart.Width, width);
        Assert.Equal((8, 2), (ihdr[8], ihdr[9]));
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(height * (1 + (width * 3)), inflated.Length);
    }

    [Fact]
    public void Crc32_StandardCheckValue_Matches() =>
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32(0xFFFFFFFFu, "123456789"u8) ^ 0xFFFFFFFFu);

    [Fact]
    public void Draw_TwoModels_LongerBarForTheCostlierModel()
    {
        var image = PngChart.Draw(Report(("a/x", 0.3m), ("b/y", 0.1m)));
        var background = image[image.Width - 1, image.Height - 1];

        int BarLength(int row)
        {
            var y = 100 + (row * 44) + 18;
            var coloured = Enumerable.Range(0, image.Width).Where(x => image[x, y] == Rgb.Parse(ChartBar.Palette[row])).ToList();
            return coloured.Count;
        }

        Assert.Equal(Rgb.Parse("#ffffff"), background);
        Assert.True(BarLength(0) > 2.5 * BarLength(1), $"{BarLength(0)} vs {BarLength(1)}");
    }

    [Theory]
    [InlineData(0.79395, "$0.7940")]
    [InlineData(1234.5, "$1,234.50")]
    [InlineData(0.000206, "$0.000206")]
    [InlineData(0, "$0")]
    public void Money_Amounts_ShowEnoughDecimals(decimal usd, string expected) => Assert.Equal(expected, UsageFormat.Money(usd));

    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(crc, PngEncoder.Crc32(0xFFFFFFFFu, typeAndData) ^ 0xFFFFFFFFu);
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            at += 12 + length;
        }

        return chunks;
    }
}
