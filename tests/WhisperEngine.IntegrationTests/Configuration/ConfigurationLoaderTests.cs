using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Hosting.Detection;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Configuration;

/// <summary>Layered configuration over the shipped profiles and real files.</summary>
public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private static DetectedEnvironment Machine(bool kubernetes = false, bool container = false) => new()
    {
        Kind = kubernetes ? DeploymentKind.Kubernetes : container ? DeploymentKind.Container : DeploymentKind.Desktop,
        IsKubernetes = kubernetes,
        IsContainer = container || kubernetes,
        HostCpuCount = 4,
        CpuLimit = 1.5,
        EffectiveCpus = 1.5,
        HostMemoryBytes = 8L << 30,
        MemoryLimitBytes = 1L << 30,
        EffectiveMemoryBytes = 1L << 30,
    };

    private LoadedConfiguration Load(Dictionary<string, string>? env = null, string? tier = null, Dictionary<string, string>? flags = null,
        DetectedEnvironment? machine = null, string? configFile = null)
    {
        env ??= [];
        return ConfigurationLoader.Load(new ConfigLoadRequest
        {
            Home = _home.Path,
            ConfigFile = configFile,
            Tier = tier,
            Overrides = (flags ?? []).ToDictionary(kv => kv.Key, kv => (kv.Value, "--set " + kv.Key)),
            ProfilesDirectory = TestConfig.ProfilesDirectory,
            BuiltInCharactersDirectory = TestConfig.CharactersDirectory,
            GetEnvironmentVariable = n => env.GetValueOrDefault(n),
            EnvironmentVariableNames = () => env.Keys,
            DetectEnvironment = _ => machine ?? Machine(),
        });
    }

    private static EffectiveSetting Setting(LoadedConfiguration c, string key) => c.Settings.Single(s => s.Key == key);

    [Fact]
    public void Load_Desktop_UsesProfileAndComputesWorkersFromTheCgroupQuota()
    {
        var c = Load();

        Assert.Equal("desktop", c.Tier);
        Assert.Equal("sqlite", c.Values.StorageProvider);
        Assert.Equal(Path.Combine(_home.Path, "whisperengine.db"), c.Values.SqlitePath);
        Assert.Equal(6, c.Values.MaxConcurrentTurns); // 4 per CPU, 1.5 CPUs of quota
        Assert.StartsWith("computed", Setting(c, "workers.max_concurrent_turns").Source, StringComparison.Ordinal);
        Assert.Equal("configs/desktop.yaml", Setting(c, "storage.provider").Source.Split(':')[0]);
    }

    [Fact]
    public void Load_Kubernetes_PicksTheCloudProfile()
    {
        var c = Load(machine: Machine(kubernetes: true), env: new() { ["POSTGRES_HOST"] = "db" });

        Assert.Equal("cloud", c.Tier);
        Assert.Contains("Kubernetes", c.TierReason, StringComparison.Ordinal);
        Assert.True(c.Values.JsonLogs);
    }

    [Fact]
    public void Load_TierForcedByEnvironment_BeatsDetection()
    {
        var c = Load(env: new() { ["WHISPERENGINE_TIER"] = "enterprise", ["POSTGRES_HOST"] = "db" }, machine: Machine(kubernetes: true));

        Assert.Equal("enterprise", c.Tier);
        Assert.Contains("WHISPERENGINE_TIER", c.TierReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LegacyVariables_SetTheModelEndpointAndMaskTheKey()
    {
        var c = Load(env: new()
        {
            ["LLM_CHAT_API_URL"] = "https://openrouter.ai/api/v1",
            ["LLM_CHAT_API_KEY"] = "sk-or-very-secret",
            ["LLM_CHAT_MODEL"] = "openai/gpt-4o-mini",
        });

        Assert.Equal(new Uri("https://openrouter.ai/api/v1"), c.Values.Chat.ApiUrl);
        Assert.Equal("openrouter", c.Values.Chat.ProviderName);
        Assert.Equal("openai/gpt-4o-mini", c.Values.ChatModel);
        Assert.Empty(c.Values.MissingForChat());
        var key = Setting(c, "llm.chat.api_key");
        Assert.True(key.IsSecret);
        Assert.DoesNotContain("secret", key.Display, StringComparison.Ordinal);
        Assert.Equal("environment LLM_CHAT_API_KEY", key.Source);
    }

    [Fact]
    public void Load_Precedence_FlagBeatsEnvironmentBeatsFileBeatsProfile()
    {
        var file = _home.Write("config.yaml", "engine:\n  max_prompt_tokens: 5000\n  history_messages: 50\n  max_input_chars: 1234\n");
        var c = Load(
            env: new() { ["WHISPERENGINE_ENGINE__HISTORY_MESSAGES"] = "60", ["WHISPERENGINE_ENGINE__MAX_INPUT_CHARS"] = "2000" },
            flags: new() { ["engine.max_input_chars"] = "3000" });

        Assert.Equal(file, c.ConfigFile);
        Assert.Equal(5000, c.Values.Engine.MaxPromptTokens);
        Assert.Equal($"{file}:2", Setting(c, "engine.max_prompt_tokens").Source);
        Assert.Equal(60, c.Values.Engine.HistoryMessages);
        Assert.Equal(3000, c.Values.Engine.MaxInputChars);
    }

    [Fact]
    public void Load_PostgresSchemaThatNeedsQuoting_NamesTheSetting()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(env: new()
        {
            ["WHISPERENGINE_STORAGE__POSTGRES__CONNECTION_STRING"] = "Host=127.0.0.1;Port=9;Username=u;Database=d",
            ["WHISPERENGINE_STORAGE__POSTGRES__SCHEMA"] = "load-bench",
        }));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("storage.postgres.schema", "environment WHISPERENGINE_STORAGE__POSTGRES__SCHEMA"), (problem.Field, problem.File));
        Assert.Contains("'load-bench'", problem.Message, StringComparison.Ordinal);

        var c = Load(env: new()
        {
            ["WHISPERENGINE_STORAGE__POSTGRES__CONNECTION_STRING"] = "Host=127.0.0.1;Port=9;Username=u;Database=d",
            ["WHISPERENGINE_STORAGE__POSTGRES__SCHEMA"] = "load_bench_2",
        });
        Assert.Equal("load_bench_2", c.Values.PostgresSchema);
    }

    [Fact]
    public void Load_KeywordIndex_ChoiceReadAndBadValueNamed()
    {
        Assert.Equal("memory", Load().Values.Memory.KeywordIndex);
        Assert.Equal("store", Load(env: new() { ["WHISPERENGINE_MEMORY__KEYWORD_INDEX"] = "store" }).Values.Memory.KeywordIndex);

        var ex = Assert.Throws<ConfigurationException>(() => Load(env: new() { ["WHISPERENGINE_MEMORY__KEYWORD_INDEX"] = "lucene" }));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("memory.keyword_index", "environment WHISPERENGINE_MEMORY__KEYWORD_INDEX"), (problem.Field, problem.File));
        Assert.Contains("store", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyProblems_ReportsEachWithItsSource()
    {
        _home.Write("config.yaml", "llm:\n  chat:\n    api_url: not a url\n    request_timeout_seconds: -1\nlogging:\n  level: loud\n");

        var ex = Assert.Throws<ConfigurationException>(() => Load(env: new() { ["WHISPERENGINE_WORKERS__QUEUE_CAPACITY"] = "0" }));

        Assert.Contains(ex.Problems, p => p.Field == "llm.chat.api_url" && p.Line == 3 && p.Message.Contains("not an http", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Field == "llm.chat.request_timeout_seconds" && p.Line == 4 && p.Message.Contains("out of range", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Field == "logging.level" && p.Line == 6 && p.Message.Contains("information", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Field == "workers.queue_capacity" && p.File == "environment WHISPERENGINE_WORKERS__QUEUE_CAPACITY");
    }

    [Fact]
    public void Load_PromptCaps_ReadPerModelWithDottedIdsAndBadValuesNamed()
    {
        _home.Write("config.yaml", "llm:\n  prompt_caps:\n    openai/gpt-4.1-nano: 2000\n    cheap-model: lots\n");

        var ex = Assert.Throws<ConfigurationException>(() => Load());

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("llm.prompt_caps.cheap-model", 4), (problem.Field, problem.Line));
        Assert.Contains("at least 256", problem.Message, StringComparison.Ordinal);

        _home.Write("config.yaml", "llm:\n  prompt_caps:\n    openai/gpt-4.1-nano: 2000\n");
        var c = Load();
        Assert.Equal(2000, c.Values.Engine.ModelPromptCaps["openai/gpt-4.1-nano"]);
        Assert.Equal((2000, "openai/gpt-4.1-nano"), c.Values.Engine.PromptBudgetFor(["strong", "openai/gpt-4.1-nano"]));
        Assert.Equal((c.Values.Engine.MaxPromptTokens, (string?)null), c.Values.Engine.PromptBudgetFor(["strong"]));
    }

    [Fact]
    public void Load_InvalidYaml_ReportsTheLine()
    {
        _home.Write("config.yaml", "engine:\n  max_prompt_tokens: 5000\n   bad_indent: [\n");

        var ex = Assert.Throws<ConfigurationException>(() => Load());

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(3, problem.Line);
        Assert.StartsWith("invalid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingConfigFileGivenExplicitly_IsAnError()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(configFile: _home.File("nope.yaml")));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownTier_IsAnErrorListingTheTiers()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(tier: "huge"));

        Assert.Contains("desktop, multi-bot, cloud, enterprise", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Prices_ParsedPerModelWithDottedIds()
    {
        _home.Write("config.yaml", "llm:\n  prices:\n    llama3.1:\n      prompt: 0.1\n      completion: 0.2\n");

        var c = Load();

        var price = c.Values.Chat.Prices["llama3.1"];
        Assert.Equal(0.1m, price.PromptPerMillion);
        Assert.Equal(0.2m, price.CompletionPerMillion);
    }

    [Fact]
    public void Load_EveryTierProfile_IsValidWithAServer()
    {
        foreach (var tier in SettingsSchema.Tiers)
        {
            Assert.Equal(tier, Load(tier: tier, env: new() { ["POSTGRES_HOST"] = "db.internal" }).Tier);
        }
    }

    [Fact]
    public void Load_PostgresVariables_SelectMultiBotAndBuildTheConnectionString()
    {
        var c = Load(env: new()
        {
            ["POSTGRES_HOST"] = "db.internal",
            ["POSTGRES_PORT"] = "6543",
            ["POSTGRES_DB"] = "we",
            ["POSTGRES_USER"] = "bot",
            ["POSTGRES_PASSWORD"] = "pg-secret-pw",
        });

        Assert.Equal("multi-bot", c.Tier);
        Assert.Equal("postgres", c.Values.StorageProvider);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(c.Values.PostgresConnectionString);
        Assert.Equal(("db.internal", 6543, "we", "bot", "pg-secret-pw"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.DoesNotContain(c.Settings, s => s.Display.Contains("pg-secret-pw", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MultiBotWithoutServer_NamesWhatToSet()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(tier: "multi-bot"));

        Assert.Contains("POSTGRES_HOST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Desktop_MemorySettingsFromTheProfile()
    {
        var c = Load();

        Assert.Equal(new MemorySettings(true, 1000, 8, TimeSpan.FromSeconds(1), true, true, true, 1000, TimeSpan.FromSeconds(10)), c.Values.Memory);
        Assert.StartsWith("configs/desktop.yaml:", Setting(c, "memory.queue_capacity").Source, StringComparison.Ordinal);
        Assert.Equal("1000", Setting(c, "memory.max_prompt_tokens").Display);
    }

    [Fact]
    public void Load_IndexBudgetSettings_ReachTheMemoryOptionsAndBadValuesAreNamed()
    {
        var c = Load(env: new() { ["WHISPERENGINE_MEMORY__INDEX_IDLE_MINUTES"] = "15", ["WHISPERENGINE_MEMORY__MAX_INDEXED_MEMORIES"] = "250000" });
        var options = WhisperEngineServiceCollectionExtensions.MemoryOptionsFor(c.Values);

        Assert.Equal((TimeSpan.FromMinutes(15), 250_000L), (options.IndexIdleTimeout, options.MaxIndexedMemories));

        var ex = Assert.Throws<ConfigurationException>(() => Load(env: new() { ["WHISPERENGINE_MEMORY__MAX_INDEXED_MEMORIES"] = "-5" }));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("memory.max_indexed_memories", "environment WHISPERENGINE_MEMORY__MAX_INDEXED_MEMORIES"), (problem.Field, problem.File));
    }

    [Fact]
    public void Load_MemoryTokensOverHalfThePromptBudget_FailsNamingBothSettings()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(flags: new() { ["memory.max_prompt_tokens"] = "4000" }));

        Assert.Contains("memory.max_prompt_tokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("engine.max_prompt_tokens (6000)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 3000", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory.queue_capacity", "0", "out of range")]
    [InlineData("memory.recall_count", "many", "not a whole number")]
    [InlineData("memory.emotion", "maybe", "not true or false")]
    [InlineData("memory.recall_timeout_ms", "5", "out of range")]
    public void Load_BadMemorySetting_FailsNamingIt(string key, string value, string problem)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(flags: new() { [key] = value }));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HumanLikeFeatureOff_TurnsRelationshipAndEmotionOff()
    {
        var c = Load(flags: new() { ["features.phase4_human_like"] = "false" });

        Assert.False(c.Values.Memory.Relationship);
        Assert.False(c.Values.Memory.Emotion);
        Assert.True(c.Values.Memory.Enabled);
    }
}
