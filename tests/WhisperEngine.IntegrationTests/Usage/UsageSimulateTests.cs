using System.Text.Json;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Usage.Pricing;

namespace WhisperEngine.IntegrationTests.Usage;

/// <summary><c>usage simulate</c> replays the real export through a policy; the figures are checked by hand.</summary>
public sealed class UsageSimulateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Simulate_OpenRouterSample_ChoosesByPromptSizeAndTotalsMatchAHandComputation()
    {
        var policy = _dir.Write("policy.yaml", "cheap_model: openai/gpt-4o-mini\nstrong_model: openai/gpt-4o\nstrong_min_prompt_tokens: 3000\n");

        var result = await CliRunner.RunAsync(["usage", "simulate", "--policy", policy, "--openrouter", SharedData.OpenRouterSample, "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        var root = doc.RootElement;
        var prices = PriceTable.Load(Path.Combine(AppContext.BaseDirectory, "configs", "prices.yaml"));
        Assert.True(prices.TryGetPrice("openai/gpt-4o-mini", out var cheap));
        Assert.True(prices.TryGetPrice("openai/gpt-4o", out var strong));
        decimal expected = 0;
        decimal actual = 0;
        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            var prompt = row.GetProperty("prompt_tokens").GetInt32();
            var completion = row.GetProperty("completion_tokens").GetInt32();
            var model = prompt >= 3000 ? "openai/gpt-4o" : "openai/gpt-4o-mini";
            Assert.Equal(model, row.GetProperty("model").GetString());
            expected += (prompt >= 3000 ? strong : cheap).Cost(prompt, completion);
            actual += row.GetProperty("actual_cost_usd").GetDecimal();
        }

        Assert.Equal(300, root.GetProperty("requests").GetInt32());
        Assert.Equal(expected, root.GetProperty("simulated_cost_usd").GetDecimal());
        Assert.Equal(actual, root.GetProperty("actual_cost_usd").GetDecimal());
        Assert.Equal(0.8005m, Math.Round(actual, 4));
        Assert.True(expected < actual, "routing the sample's small prompts to the cheap model should cost less");
    }

    [Fact]
    public async Task Simulate_BadPolicy_NamesFileLineAndField()
    {
        var policy = _dir.Write("policy.yaml", "cheap_model: a\nstrong_modle: b\n");

        var result = await CliRunner.RunAsync(["usage", "simulate", "--policy", policy, "--openrouter", SharedData.OpenRouterSample]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("policy.yaml:2:1: 'strong_modle': unknown field", result.Error, StringComparison.Ordinal);
        Assert.Contains("'strong_model': is required", result.Error, StringComparison.Ordinal);
    }
}
