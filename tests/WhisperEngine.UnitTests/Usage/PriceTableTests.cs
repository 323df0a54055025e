using WhisperEngine.Core.Usage;
using WhisperEngine.Usage;
using WhisperEngine.Usage.Pricing;

namespace WhisperEngine.UnitTests.Usage;

public sealed class PriceTableTests
{
    private const string ModelsJson = """
        {"data":[
          {"id":"openai/gpt-4o","name":"OpenAI: GPT-4o","pricing":{"prompt":"0.0000025","completion":"0.00001","request":"0","image":"0.003613"}},
          {"id":"google/gemma-3n-e4b-it","pricing":{"prompt":"0.00000002","completion":"0.00000004"}},
          {"id":"openrouter/auto","pricing":{"prompt":"-1","completion":"-1"}},
          {"id":"vendor/no-pricing"},
          {"id":"vendor/free:free","pricing":{"prompt":"0","completion":"0"}}
        ]}
        """;

    [Fact]
    public void ImportOpenRouterModels_PerTokenStrings_BecomeDollarsPerMillion()
    {
        var table = PriceTable.ImportOpenRouterModels(ModelsJson);

        Assert.Equal(new ModelPrice(2.5m, 10m), table.Prices["openai/gpt-4o"]);
        Assert.Equal(new ModelPrice(0.02m, 0.04m), table.Prices["google/gemma-3n-e4b-it"]);
        Assert.Equal(new ModelPrice(0m, 0m), table.Prices["vendor/free:free"]);
    }

    [Fact]
    public void ImportOpenRouterModels_RouterOrMissingPrice_LeftOut()
    {
        var table = PriceTable.ImportOpenRouterModels(ModelsJson);

        Assert.False(table.TryGetPrice("openrouter/auto", out _));
        Assert.False(table.TryGetPrice("vendor/no-pricing", out _));
        Assert.Equal(3, table.Prices.Count);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"models\":[]}")]
    [InlineData("{\"data\":")]
    public void ImportOpenRouterModels_NotAModelsList_ThrowsNamingSource(string json)
    {
        var ex = Assert.Throws<UsageDataException>(() => PriceTable.ImportOpenRouterModels(json, "models.json"));

        Assert.StartsWith("models.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_ShippedTable_PricesTheCommonModels()
    {
        var table = PriceTable.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "prices.yaml"));

        Assert.NotNull(table.AsOf);
        Assert.Equal(new ModelPrice(2.5m, 10m), table.Prices["openai/gpt-4o"]);
        Assert.Equal(new ModelPrice(0.15m, 0.6m), table.Prices["openai/gpt-4o-mini"]);
        Assert.True(table.Prices.Count >= 15);
        Assert.All(table.Prices.Values, p => Assert.True(p.CompletionPerMillion >= p.PromptPerMillion));
    }

    [Fact]
    public void ParseYaml_BadPrice_ThrowsWithLineAndModel()
    {
        var ex = Assert.Throws<UsageDataException>(() => PriceTable.ParseYaml("as_of: 2026-01-01\nmodels:\n  a/b: { prompt: 1, completion: 2 }\n  c/d: { prompt: cheap, completion: 2 }\n", "p.yaml"));

        Assert.Equal(4, ex.Line);
        Assert.Contains("models.c/d", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_MissingCompletion_Throws()
    {
        var ex = Assert.Throws<UsageDataException>(() => PriceTable.ParseYaml("models:\n  a/b: { prompt: 1 }\n", "p.yaml"));

        Assert.Contains("completion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGetPrice_BareOrPrefixedName_FindsUniqueMatch()
    {
        var table = new PriceTable(new Dictionary<string, ModelPrice>
        {
            ["openai/gpt-4o"] = new(2.5m, 10m),
            ["llama3"] = new(0m, 0m),
            ["a/shared"] = new(1m, 1m),
            ["b/shared"] = new(2m, 2m),
        });

        Assert.True(table.TryGetPrice("GPT-4o", out var bare));
        Assert.Equal(2.5m, bare.PromptPerMillion);
        Assert.True(table.TryGetPrice("ollama/llama3", out _));
        Assert.False(table.TryGetPrice("shared", out _));
        Assert.False(table.TryGetPrice("unknown", out _));
    }

    [Fact]
    public void With_Overrides_TakePrecedence()
    {
        var shipped = new PriceTable(new Dictionary<string, ModelPrice> { ["m"] = new(1m, 2m), ["n"] = new(3m, 4m) });
        var mine = new PriceTable(new Dictionary<string, ModelPrice> { ["m"] = new(5m, 6m) });

        var merged = shipped.With(mine);

        Assert.Equal(new ModelPrice(5m, 6m), merged.Prices["m"]);
        Assert.Equal(new ModelPrice(3m, 4m), merged.Prices["n"]);
    }

    [Fact]
    public void Apply_ReportedCostKept_MissingCostComputedAndMarked()
    {
        var table = new PriceTable(new Dictionary<string, ModelPrice> { ["m"] = new(2m, 10m) });
        UsageSample[] samples =
        [
            new() { Timestamp = DateTimeOffset.UnixEpoch, Model = "m", PromptTokens = 1000, CompletionTokens = 100, CostUsd = 0.5m },
            new() { Timestamp = DateTimeOffset.UnixEpoch, Model = "m", PromptTokens = 1000, CompletionTokens = 100 },
            new() { Timestamp = DateTimeOffset.UnixEpoch, Model = "other", PromptTokens = 1000 },
        ];

        var priced = SamplePricing.Apply(samples, table);

        Assert.Equal((0.5m, false), (priced[0].CostUsd, priced[0].CostFromPriceTable));
        Assert.Equal((0.003m, true), (priced[1].CostUsd, priced[1].CostFromPriceTable));
        Assert.Null(priced[2].CostUsd);
    }
}
