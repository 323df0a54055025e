using WhisperEngine.Hosting.Configuration;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Configuration;

/// <summary>The <c>memory.facts.*</c> and <c>memory.consolidation.*</c> settings: defaults, the model fallback chain, validation.</summary>
public sealed class MemoryJobSettingsTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private LoadedConfiguration Load(Dictionary<string, string>? settings = null) => TestConfig.Load(_home.Path, new Uri("http://127.0.0.1:9/v1"), settings);

    [Fact]
    public void Load_Defaults_ChatModelForBackgroundWork()
    {
        var c = Load();

        Assert.True(c.Values.Facts.Enabled);
        Assert.Equal(("fake-model", 5, 0.6), (c.Values.Facts.Model, c.Values.Facts.EveryNMessages, c.Values.Facts.MinConfidence));
        Assert.Equal("llm.chat.model", c.Values.Facts.ModelReason);
        Assert.Contains(c.Settings, s => s.Key == "memory.facts.model" && s.Display == "fake-model" && s.Source.StartsWith("computed: llm.chat.model", StringComparison.Ordinal));
        Assert.Equal((true, "fake-model", TimeSpan.FromDays(7)), (c.Values.Consolidation.Enabled, c.Values.Consolidation.Model, c.Values.Consolidation.MinAge));
        Assert.Contains(c.Settings, s => s.Key == "memory.facts.every_n_messages" && s.Display == "5");
    }

    [Fact]
    public void Load_CheapModelThenOwnModel_Preferred()
    {
        var cheap = Load(new() { ["routing.cheap_model"] = "small", ["routing.strong_model"] = "big" });
        var own = Load(new() { ["routing.cheap_model"] = "small", ["routing.strong_model"] = "big", ["memory.facts.model"] = "extractor" });

        Assert.Equal(("small", "small"), (cheap.Values.Facts.Model, cheap.Values.Consolidation.Model));
        Assert.Equal(("extractor", "memory.facts.model"), (own.Values.Facts.Model, own.Values.Facts.ModelReason));
        Assert.Equal("small", own.Values.Consolidation.Model);
    }

    [Fact]
    public void Load_OutOfRange_NamesTheSettingAndItsSource()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(new() { ["memory.facts.min_confidence"] = "1.5", ["memory.consolidation.min_memories"] = "1" }));

        Assert.Contains("memory.facts.min_confidence", ex.Message, StringComparison.Ordinal);
        Assert.Contains("memory.consolidation.min_memories", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Phase3Off_ConsolidationOff()
    {
        var c = Load(new() { ["features.phase3_memory"] = "false" });

        Assert.False(c.Values.Consolidation.Enabled);
    }
}
