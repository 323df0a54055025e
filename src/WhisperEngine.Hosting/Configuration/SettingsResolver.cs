using System.Globalization;
using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Chat;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting.Detection;
using WhisperEngine.Memory.Clustering;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>Resolves each setting to its winning layer, parses and validates it, and builds the typed settings.</summary>
internal sealed partial class SettingsResolver
{
    private readonly IReadOnlyList<ConfigLayer> _layers;
    private readonly DetectedEnvironment _environment;
    private readonly ResourcePlan _plan;
    private readonly List<ValidationProblem> _problems;
    private readonly Dictionary<string, (ConfigValue Value, string Display)> _effective = new(StringComparer.Ordinal);

    public SettingsResolver(IReadOnlyList<ConfigLayer> layers, DetectedEnvironment environment, ResourcePlan plan, List<ValidationProblem> problems)
    {
        _layers = layers;
        _environment = environment;
        _plan = plan;
        _problems = problems;
    }

    public void Set(string key, string value, string source) => _effective[key] = (new ConfigValue(value, null, source), value);

    public IReadOnlyList<EffectiveSetting> Effective()
    {
        var list = new List<EffectiveSetting>();
        foreach (var definition in SettingsSchema.All)
        {
            if (_effective.TryGetValue(definition.Key, out var e))
            {
                list.Add(new EffectiveSetting(definition.Key, e.Display, e.Value.Source, definition.Kind == SettingKind.Secret));
            }
            else
            {
                list.Add(new EffectiveSetting(definition.Key, "(not set)", "", definition.Kind == SettingKind.Secret));
            }
        }

        foreach (var (key, e) in _effective.Where(e => SettingsSchema.Find(e.Key) is null).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            list.Add(new EffectiveSetting(key, e.Display, e.Value.Source, false));
        }

        return list;
    }

    public WhisperEngineSettings? Build(string home, string builtInCharacters)
    {
        var chat = new ModelEndpointOptions
        {
            ApiUrl = Url("llm.chat.api_url"),
            ApiKey = Text("llm.chat.api_key", secret: true),
            FirstTokenTimeout = TimeSpan.FromSeconds(Number("llm.chat.first_token_timeout_seconds")),
            RequestTimeout = TimeSpan.FromSeconds(Number("llm.chat.request_timeout_seconds")),
            MaxRetries = Integer("llm.chat.max_retries"),
            RetryBaseDelay = TimeSpan.FromMilliseconds(Integer("llm.chat.retry_base_delay_ms")),
            MaxRetryDelay = TimeSpan.FromSeconds(Number("llm.chat.max_retry_delay_seconds")),
        };
        ReadPrices(chat);
        var model = Text("llm.chat.model");
        var engine = new EngineOptions
        {
            MaxInputChars = Integer("engine.max_input_chars"),
            MaxPromptTokens = Integer("engine.max_prompt_tokens"),
            HistoryMessages = Integer("engine.history_messages"),
            DefaultMaxOutputTokens = Integer("engine.default_max_output_tokens"),
            DefaultModel = model,
        };
        ReadPromptCaps(engine);

        var memory = Memory(engine);
        var sqlitePath = Text("storage.sqlite.path") ?? "whisperengine.db";
        var characterDirectories = new List<string> { builtInCharacters };
        characterDirectories.AddRange(List("characters.paths").Select(p => Path.GetFullPath(p, home)));
        characterDirectories.Add(Path.Combine(home, "characters"));
        var urls = (Text("server.urls") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Problem("server.urls", $"'{url}' is not an http:// or https:// address such as http://127.0.0.1:8080");
            }
        }

        var storageProvider = Text("storage.provider") ?? "sqlite";
        var postgres = PostgresConnectionString();
        if (storageProvider == "postgres" && postgres is null)
        {
            Problem("storage.provider", "is postgres, but no server is set: set POSTGRES_HOST (and POSTGRES_PASSWORD, ...) or storage.postgres.connection_string");
        }

        // The migration journal names the schema unquoted, so only names PostgreSQL keeps as written are accepted.
        if (Text("storage.postgres.schema") is { } schema && !PostgresSchemaName().IsMatch(schema))
        {
            Problem("storage.postgres.schema", $"is '{schema}'; use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63 characters)");
        }

        var redis = RedisConfiguration();
        var cacheProvider = Text("cache.provider") ?? "memory";
        if (cacheProvider == "redis" && redis is null)
        {
            Problem("cache.provider", "is redis, but no server is set: set REDIS_HOST (and REDIS_PORT, REDIS_PASSWORD) or redis.connection_string");
        }

        if (cacheProvider == "auto")
        {
            cacheProvider = redis is null ? "memory" : "redis";
            _effective["cache.provider"] = (_effective["cache.provider"].Value with { Source = "computed: auto, " + (redis is null ? "no Redis configured" : "Redis configured") }, cacheProvider);
        }

        var embeddings = Embeddings(chat);
        Text("ai.strategy");
        var settings = new WhisperEngineSettings
        {
            Tier = _effective["tier"].Display,
            Home = home,
            Chat = chat,
            ChatModel = model,
            FallbackModels = List("llm.chat.fallback_models"),
            Engine = engine,
            Memory = memory,
            Routing = new Core.Models.RoutingOptions
            {
                CheapModel = Text("routing.cheap_model"),
                StrongModel = Text("routing.strong_model"),
                StrongMinChars = Integer("routing.strong_min_chars"),
            },
            Budgets = new Core.Budgets.BudgetOptions
            {
                BotDailyUsd = OptionalMoney("budgets.bot_daily_usd"),
                BotMonthlyUsd = OptionalMoney("budgets.bot_monthly_usd"),
                TenantDailyUsd = OptionalMoney("budgets.tenant_daily_usd"),
                TenantMonthlyUsd = OptionalMoney("budgets.tenant_monthly_usd"),
                DowngradeAt = Number("budgets.downgrade_at"),
                DowngradeModel = Text("budgets.downgrade_model"),
            },
            StorageProvider = storageProvider,
            PostgresConnectionString = postgres,
            PostgresSchema = Text("storage.postgres.schema") ?? "public",
            SqlitePath = Path.GetFullPath(sqlitePath, home),
            SqliteSynchronous = Text("storage.sqlite.synchronous")!,
            CacheProvider = cacheProvider,
            RedisConfiguration = redis,
            RedisKeyPrefix = Text("redis.key_prefix") ?? "we:",
            CacheMemoryMb = Integer("cache.max_memory_mb", () => ((int)(_plan.CacheMemoryBytes / (1024 * 1024)), Reason(3))),
            MaxConcurrentTurns = Integer("workers.max_concurrent_turns", () => (_plan.MaxConcurrentTurns, Reason(0))),
            QueueCapacity = Integer("workers.queue_capacity", () => (_plan.TurnQueueCapacity, Reason(1))),
            BackgroundWorkers = Integer("workers.background", () => (_plan.BackgroundWorkers, Reason(2))),
            Urls = urls,
            ServerApiKey = Text("server.api_key", secret: true),
            MaxRequestBytes = Integer("server.max_request_bytes"),
            WarmupTurns = Integer("server.warmup_turns"),
            CharacterDirectories = characterDirectories,
            Bots = Bots(),
            DefaultCharacter = Text("characters.default") ?? "elena",
            Discord = Discord(),
            Facts = Facts(model),
            Consolidation = Consolidation(model),
            Features = new Dictionary<string, bool>
            {
                ["phase3_memory"] = Bool("features.phase3_memory"),
                ["phase4_human_like"] = Bool("features.phase4_human_like"),
                ["multi_bot_coordination"] = Bool("features.multi_bot_coordination"),
            },
            Embeddings = embeddings,
            Clustering = new ClusteringOptions
            {
                Enabled = Bool("memory.clustering.enabled"),
                MaxClusters = Integer("memory.clustering.max_clusters"),
                Interval = TimeSpan.FromSeconds(Number("memory.clustering.interval_seconds")),
                MinNewMemories = Integer("memory.clustering.min_new_memories"),
                RebuildShare = Number("memory.clustering.rebuild_share"),
            },
            Metrics = Bool("monitoring.metrics"),
            Health = Bool("monitoring.health"),
            Tracing = Bool("monitoring.tracing"),
            LogLevel = Enum.Parse<LogLevel>(Text("logging.level") ?? "information", ignoreCase: true),
            JsonLogs = Text("logging.format") == "json",
        };
        _ = Integer("limits.memory_mb", () => ((int)Math.Max(64, (_environment.EffectiveMemoryBytes ?? (1L << 30)) / 4 / (1024 * 1024)),
            "a quarter of the memory the process may use"));
        return settings;
    }

    private MemorySettings Memory(EngineOptions engine)
    {
        var humanLike = Bool("features.phase4_human_like");
        var maxTokens = Integer("memory.max_prompt_tokens");
        if (maxTokens > engine.MaxPromptTokens / 2)
        {
            Problem("memory.max_prompt_tokens", $"{maxTokens} is more than half of engine.max_prompt_tokens ({engine.MaxPromptTokens}); " +
                $"recent history needs the rest: set it to at most {engine.MaxPromptTokens / 2}, or raise engine.max_prompt_tokens");
        }

        return new MemorySettings(
            Bool("memory.enabled"),
            maxTokens,
            Integer("memory.recall_count"),
            TimeSpan.FromMilliseconds(Integer("memory.recall_timeout_ms")),
            Bool("memory.relationship") && humanLike,
            Bool("memory.emotion") && humanLike,
            Bool("memory.remember_replies"),
            Integer("memory.queue_capacity"),
            TimeSpan.FromSeconds(Number("memory.drain_timeout_seconds")))
        {
            IndexIdleTimeout = TimeSpan.FromMinutes(Number("memory.index_idle_minutes")),
            MaxIndexedMemories = Integer("memory.max_indexed_memories"),
            KeywordIndex = Text("memory.keyword_index") ?? "memory",
        };
    }

    private DiscordSettings Discord()
    {
        var shardId = OptionalInteger("discord.shard_id");
        var shardCount = OptionalInteger("discord.shard_count");
        if (shardId is { } id && (shardCount is null || id >= shardCount))
        {
            Problem("discord.shard_id", shardCount is null
                ? "needs discord.shard_count (DISCORD_SHARD_COUNT) as well"
                : $"{id} must be below discord.shard_count ({shardCount})");
        }

        var prefix = Text("discord.command_prefix") ?? "!";
        if (prefix.Length is 0 or > 5 || prefix.Any(char.IsWhiteSpace))
        {
            Problem("discord.command_prefix", $"'{prefix}' must be 1 to 5 characters without spaces, e.g. !");
        }

        return new DiscordSettings(
            Text("discord.token", secret: true),
            Url("discord.api_base_url") ?? new Uri("https://discord.com/api/v10"),
            shardId,
            shardCount,
            prefix,
            List("discord.admin_user_ids"),
            Bool("discord.allow_bots"),
            Integer("discord.max_bot_exchanges"));
    }

    private int? OptionalInteger(string key) => Winning(key) is null ? null : Integer(key);

    private string? RedisConfiguration()
    {
        var explicitString = Text("redis.connection_string", secret: true);
        var host = Text("redis.host");
        var port = Integer("redis.port");
        var password = Text("redis.password", secret: true);
        if (explicitString is not null)
        {
            return explicitString;
        }

        if (host is null)
        {
            return null;
        }

        var configuration = new StackExchange.Redis.ConfigurationOptions { EndPoints = { { host, port } }, Password = password };
        return configuration.ToString(includePassword: true);
    }

    private string? PostgresConnectionString()
    {
        var explicitString = Text("storage.postgres.connection_string", secret: true);
        var host = Text("storage.postgres.host");
        var port = Integer("storage.postgres.port");
        var database = Text("storage.postgres.database");
        var user = Text("storage.postgres.user");
        var password = Text("storage.postgres.password", secret: true);
        if (explicitString is not null)
        {
            try
            {
                return new Npgsql.NpgsqlConnectionStringBuilder(explicitString).ConnectionString;
            }
            catch (ArgumentException ex)
            {
                // The message of the builder does not echo the string, so no password leaks into it.
                Problem("storage.postgres.connection_string", "is not a valid connection string: " + ex.Message);
                return null;
            }
        }

        if (host is null)
        {
            return null;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Database = database,
            Username = user,
            Password = password,
        }.ConnectionString;
    }

    private string Reason(int index) => index < _plan.Reasons.Count ? _plan.Reasons[index] : "computed from the detected resources";

    private ConfigValue? Winning(string key)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].Values.TryGetValue(key, out var value))
            {
                return value;
            }
        }

        return null;
    }

    private void Problem(string key, string message)
    {
        var source = Winning(key)?.Source ?? "default";
        _problems.Add(ConfigurationLoader.Problem(source, key, message));
    }

    private string? Text(string key, bool secret = false)
    {
        var value = Winning(key);
        if (value is null)
        {
            return null;
        }

        if (value.Text is null)
        {
            if (value.Items is not null)
            {
                Problem(key, "expected a single value, found a list");
            }

            return null;
        }

        var definition = SettingsSchema.Find(key)!;
        if (definition.Kind == SettingKind.Choice && !definition.Choices.Contains(value.Text.ToLowerInvariant()))
        {
            Problem(key, $"'{value.Text}' is not one of: {string.Join(", ", definition.Choices)}");
            return null;
        }

        var text = definition.Kind == SettingKind.Choice ? value.Text.ToLowerInvariant() : value.Text;
        _effective[key] = (value, secret ? Mask(text) : text);
        return text;
    }

    private Uri? Url(string key)
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            Problem(key, $"'{text}' is not an http:// or https:// URL such as https://openrouter.ai/api/v1");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            Problem(key, "must not contain credentials; put the key in LLM_CHAT_API_KEY");
            return null;
        }

        return uri;
    }

    private int Integer(string key, Func<(int Value, string Reason)>? auto = null)
    {
        var value = Winning(key);
        var definition = SettingsSchema.Find(key)!;
        if (value?.Text is "auto" && auto is not null)
        {
            var (computed, reason) = auto();
            _effective[key] = (new ConfigValue("auto", null, $"computed: {reason}"), computed.ToString(CultureInfo.InvariantCulture));
            return computed;
        }

        if (value?.Text is null ||
            !long.TryParse(value.Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            Problem(key, $"'{value?.Text ?? (value?.Items is null ? "" : "a list")}' is not a whole number" + (definition.AllowsAuto ? " or auto" : "") +
                $"; expected {definition.Min:0} to {definition.Max:0}");
            return (int)Math.Max(0, definition.Min);
        }

        if (number < definition.Min || number > definition.Max)
        {
            Problem(key, $"{number} is out of range; expected {definition.Min:0} to {definition.Max:0}");
        }

        _effective[key] = (value, number.ToString(CultureInfo.InvariantCulture));
        return (int)Math.Clamp(number, definition.Min, definition.Max);
    }

    private double Number(string key)
    {
        var value = Winning(key);
        var definition = SettingsSchema.Find(key)!;
        if (value?.Text is null || !double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            Problem(key, $"'{value?.Text}' is not a number; expected {definition.Min} to {definition.Max}");
            return Math.Max(definition.Min, 1);
        }

        if (number < definition.Min || number > definition.Max)
        {
            Problem(key, $"{number} is out of range; expected {definition.Min} to {definition.Max}");
        }

        _effective[key] = (value, number.ToString(CultureInfo.InvariantCulture));
        return Math.Clamp(number, definition.Min, definition.Max);
    }

    private decimal? OptionalMoney(string key) => Winning(key)?.Text is null ? null : (decimal)Number(key);

    private bool Bool(string key)
    {
        var value = Winning(key);
        switch (value?.Text?.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                _effective[key] = (value, "true");
                return true;
            case "false" or "no" or "off" or "0":
                _effective[key] = (value!, "false");
                return false;
            default:
                Problem(key, $"'{value?.Text}' is not true or false");
                return false;
        }
    }

    private List<string> List(string key)
    {
        var value = Winning(key);
        if (value is null)
        {
            return [];
        }

        var items = value.Items?.ToList() ?? (value.Text is { } t ? [.. t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : []);
        _effective[key] = (value, items.Count == 0 ? "(empty)" : string.Join(", ", items));
        return items;
    }

    private void ReadPrices(ModelEndpointOptions chat)
    {
        foreach (var layer in _layers)
        {
            foreach (var (key, value) in layer.Values.Where(v => v.Key.StartsWith("llm.prices.", StringComparison.Ordinal)))
            {
                // llm.prices.<model>.prompt / .completion, US dollars per million tokens; model ids may contain dots.
                var rest = key["llm.prices.".Length..];
                var dot = rest.LastIndexOf('.');
                var field = dot > 0 ? rest[(dot + 1)..] : "";
                if (field is not ("prompt" or "completion") ||
                    !decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var perMillion) || perMillion < 0)
                {
                    _problems.Add(ConfigurationLoader.Problem(value.Source, key,
                        "expected llm.prices.<model>.prompt or .completion set to US dollars per million tokens (a number >= 0)"));
                    continue;
                }

                var modelId = rest[..dot];
                var current = chat.Prices.GetValueOrDefault(modelId) ?? new ModelPrice(0, 0);
                chat.Prices[modelId] = field == "prompt" ? current with { PromptPerMillion = perMillion } : current with { CompletionPerMillion = perMillion };
                _effective[key] = (value, perMillion.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private EmbeddingSettings Embeddings(ModelEndpointOptions chat)
    {
        var provider = Text("ai.embeddings.provider") ?? "local";
        var model = Text("ai.embeddings.model") ?? EmbeddingSettings.LocalModel;
        var apiUrl = Url("ai.embeddings.api_url");
        var apiKey = Text("ai.embeddings.api_key", secret: true);
        var dimensions = Integer("ai.embeddings.dimensions");
        var timeout = TimeSpan.FromSeconds(Number("ai.embeddings.timeout_seconds"));
        var precisionText = Text("ai.embeddings.precision");
        var precision = precisionText == "float32" ? EmbeddingPrecision.Float32 : EmbeddingPrecision.Int8;
        if (provider != "local" && precisionText is not null && Winning("ai.embeddings.precision")?.Source is { } source && source != "default")
        {
            Problem("ai.embeddings.precision", $"is {precisionText}, but only the local model has a precision to choose; remove it or use provider local");
        }

        if (provider == "local" && !string.Equals(model, EmbeddingSettings.LocalModel, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(model, "sentence-transformers/" + EmbeddingSettings.LocalModel, StringComparison.OrdinalIgnoreCase))
        {
            Problem("ai.embeddings.model", $"is {model}, but the local provider has only {EmbeddingSettings.LocalModel}; " +
                "set ai.embeddings.provider: openai (with ai.embeddings.api_url) to use another model, or remove ai.embeddings.model");
        }

        if (provider == "local" && dimensions != 384)
        {
            Problem("ai.embeddings.dimensions", $"is {dimensions}, but the local model's vectors have 384 numbers; remove the setting or use provider openai");
        }

        if (provider == "openai" && (apiUrl ?? chat.ApiUrl) is null)
        {
            Problem("ai.embeddings.provider", "is openai, but no endpoint is set: set ai.embeddings.api_url (or llm.chat.api_url)");
        }

        return new EmbeddingSettings(provider, model, apiUrl ?? chat.ApiUrl, apiKey ?? chat.ApiKey, dimensions, timeout) { Precision = precision };
    }

    private void ReadPromptCaps(EngineOptions engine)
    {
        foreach (var layer in _layers)
        {
            foreach (var (key, value) in layer.Values.Where(v => v.Key.StartsWith("llm.prompt_caps.", StringComparison.Ordinal)))
            {
                // llm.prompt_caps.<model>: the most prompt tokens a turn answered by that model gets; model ids may contain dots.
                var modelId = key["llm.prompt_caps.".Length..];
                if (modelId.Length == 0 || !int.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cap) || cap < 256)
                {
                    _problems.Add(ConfigurationLoader.Problem(value.Source, key,
                        "expected llm.prompt_caps.<model> set to a whole number of prompt tokens, at least 256"));
                    continue;
                }

                engine.ModelPromptCaps[modelId] = cap;
                _effective[key] = (value, cap.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Mask(string secret) => secret.Length == 0 ? "(empty)" : $"******** (set, {secret.Length} characters)";

    /// <summary>A PostgreSQL schema name that needs no quoting: lower-case, at most 63 characters.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex PostgresSchemaName();
}
