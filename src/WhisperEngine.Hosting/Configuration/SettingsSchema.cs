namespace WhisperEngine.Hosting.Configuration;

/// <summary>Every setting WhisperEngine reads, with defaults and limits. Tier profiles override the defaults.</summary>
public static class SettingsSchema
{
    public static readonly string[] Tiers = ["desktop", "multi-bot", "cloud", "enterprise"];

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new("tier", SettingKind.Choice, "auto", "Deployment tier; auto picks it from the detected environment") { Choices = [.. Tiers, "auto"] },

        new("llm.chat.api_url", SettingKind.Url, null, "OpenAI-compatible endpoint, ending in /v1") { LegacyEnvironment = ["LLM_CHAT_API_URL"] },
        new("llm.chat.api_key", SettingKind.Secret, null, "API key of the endpoint (empty for local servers)") { LegacyEnvironment = ["LLM_CHAT_API_KEY"] },
        new("llm.chat.model", SettingKind.Text, null, "Chat model id as the endpoint names it") { LegacyEnvironment = ["LLM_CHAT_MODEL"] },
        new("llm.chat.fallback_models", SettingKind.List, null, "Models tried in order when the chat model fails"),
        new("llm.chat.first_token_timeout_seconds", SettingKind.Number, "30", "Longest wait for the first token") { Min = 0.1, Max = 600 },
        new("llm.chat.request_timeout_seconds", SettingKind.Number, "120", "Longest time for a whole reply") { Min = 0.1, Max = 3600 },
        new("llm.chat.max_retries", SettingKind.Integer, "2", "Retries per model on 429, 5xx and dropped connections") { Min = 0, Max = 10 },
        new("llm.chat.retry_base_delay_ms", SettingKind.Integer, "500", "First backoff delay; doubles per retry") { Min = 0, Max = 60_000 },
        new("llm.chat.max_retry_delay_seconds", SettingKind.Number, "30", "A longer Retry-After fails over instead of waiting") { Min = 0, Max = 600 },

        new("routing.cheap_model", SettingKind.Text, null, "Model for short, simple messages (with routing.strong_model: routing by what a message needs)"),
        new("routing.strong_model", SettingKind.Text, null, "Model for long messages and ones asking for reasoning, code or analysis"),
        new("routing.strong_min_chars", SettingKind.Integer, "600", "A message at least this long goes to the strong model") { Min = 1, Max = 1_000_000 },
        new("budgets.bot_daily_usd", SettingKind.Number, null, "Most a bot may spend per UTC day") { Min = 0, Max = 1_000_000 },
        new("budgets.bot_monthly_usd", SettingKind.Number, null, "Most a bot may spend per calendar month") { Min = 0, Max = 10_000_000 },
        new("budgets.tenant_daily_usd", SettingKind.Number, null, "Most a tenant's bots may spend per UTC day") { Min = 0, Max = 1_000_000 },
        new("budgets.tenant_monthly_usd", SettingKind.Number, null, "Most a tenant's bots may spend per calendar month") { Min = 0, Max = 10_000_000 },
        new("budgets.downgrade_at", SettingKind.Number, "0.8", "Share of a limit from which calls move to the downgrade model") { Min = 0, Max = 1 },
        new("budgets.downgrade_model", SettingKind.Text, null, "Cheaper model used near a limit"),

        new("ai.embeddings.provider", SettingKind.Choice, "local", "Where embeddings come from") { Choices = ["local", "openai"] },
        new("ai.embeddings.model", SettingKind.Text, "all-MiniLM-L6-v2", "Embedding model id (local: all-MiniLM-L6-v2 only; openai: e.g. text-embedding-3-small)"),
        new("ai.embeddings.precision", SettingKind.Choice, "int8", "Local model's arithmetic: int8 (linear layers quantised at load, ~2.5x faster) or float32 (as shipped); a switch re-embeds like a model change") { Choices = ["int8", "float32"] },
        new("ai.embeddings.api_url", SettingKind.Url, null, "OpenAI-compatible endpoint for provider openai (default: llm.chat.api_url)"),
        new("ai.embeddings.api_key", SettingKind.Secret, null, "Its API key (default: llm.chat.api_key)"),
        new("ai.embeddings.dimensions", SettingKind.Integer, "384", "Length of the model's vectors (provider openai; e.g. 1536 for text-embedding-3-small)") { Min = 1, Max = 65_536 },
        new("ai.embeddings.timeout_seconds", SettingKind.Number, "30", "Longest wait for one embeddings request (provider openai)") { Min = 1, Max = 600 },
        new("ai.strategy", SettingKind.Choice, "single-endpoint", "How model calls are spread") { Choices = ["single-endpoint", "routed"] },

        new("storage.provider", SettingKind.Choice, "sqlite", "Primary store") { Choices = ["sqlite", "postgres"] },
        new("storage.sqlite.path", SettingKind.Text, "whisperengine.db", "SQLite file, relative to the home directory"),
        new("storage.postgres.connection_string", SettingKind.Secret, null, "Npgsql connection string (instead of host, port, ...)"),
        new("storage.postgres.host", SettingKind.Text, null, "PostgreSQL host") { LegacyEnvironment = ["POSTGRES_HOST"] },
        new("storage.postgres.port", SettingKind.Integer, "5432", "PostgreSQL port") { Min = 1, Max = 65_535, LegacyEnvironment = ["POSTGRES_PORT"] },
        new("storage.postgres.database", SettingKind.Text, "whisperengine", "PostgreSQL database") { LegacyEnvironment = ["POSTGRES_DB"] },
        new("storage.postgres.user", SettingKind.Text, "whisperengine", "PostgreSQL user") { LegacyEnvironment = ["POSTGRES_USER"] },
        new("storage.postgres.password", SettingKind.Secret, null, "PostgreSQL password") { LegacyEnvironment = ["POSTGRES_PASSWORD"] },
        new("storage.postgres.schema", SettingKind.Text, "public", "Schema of WhisperEngine's tables"),
        new("storage.sqlite.synchronous", SettingKind.Choice, "normal", "full: commits survive power loss; normal: faster, survive process kills") { Choices = ["full", "normal"] },

        new("cache.provider", SettingKind.Choice, "memory", "Cache: in-process; redis as second level; auto: redis when one is configured") { Choices = ["memory", "redis", "auto"] },
        new("redis.connection_string", SettingKind.Secret, null, "StackExchange.Redis configuration, e.g. redis:6379,password=... (instead of host and port)"),
        new("redis.host", SettingKind.Text, null, "Redis host") { LegacyEnvironment = ["REDIS_HOST"] },
        new("redis.port", SettingKind.Integer, "6379", "Redis port") { Min = 1, Max = 65_535, LegacyEnvironment = ["REDIS_PORT"] },
        new("redis.password", SettingKind.Secret, null, "Redis password") { LegacyEnvironment = ["REDIS_PASSWORD"] },
        new("redis.key_prefix", SettingKind.Text, "we:", "Prefix of every Redis key"),
        new("cache.max_memory_mb", SettingKind.Integer, "auto", "In-process cache size") { Min = 1, Max = 65_536, AllowsAuto = true },

        new("workers.max_concurrent_turns", SettingKind.Integer, "auto", "Conversations processed at once") { Min = 1, Max = 4_096, AllowsAuto = true },
        new("workers.queue_capacity", SettingKind.Integer, "auto", "Turns waiting before new ones are refused as busy") { Min = 1, Max = 1_000_000, AllowsAuto = true },
        new("workers.background", SettingKind.Integer, "auto", "Background workers (facts, summaries)") { Min = 1, Max = 256, AllowsAuto = true },
        new("limits.memory_mb", SettingKind.Integer, "auto", "Memory the process plans to use") { Min = 64, Max = 1_048_576, AllowsAuto = true },

        new("engine.max_input_chars", SettingKind.Integer, "8000", "Longest accepted user message") { Min = 1, Max = 200_000 },
        new("engine.max_prompt_tokens", SettingKind.Integer, "6000", "Token budget of the whole prompt") { Min = 256, Max = 2_000_000 },
        new("engine.history_messages", SettingKind.Integer, "100", "Stored messages read per turn before the budget cut") { Min = 1, Max = 10_000 },
        new("engine.default_max_output_tokens", SettingKind.Integer, "800", "Reply length when the character sets none") { Min = 1, Max = 128_000 },

        new("memory.enabled", SettingKind.Boolean, "true", "Long-term memory in turns: recall into the prompt, write turns as memories (background)"),
        new("memory.max_prompt_tokens", SettingKind.Integer, "1000", "Prompt tokens for recalled memories and the relationship (taken from engine.max_prompt_tokens; at most half of it)") { Min = 0, Max = 1_000_000 },
        new("memory.recall_count", SettingKind.Integer, "8", "Memories recalled per turn at most") { Min = 0, Max = 100 },
        new("memory.recall_timeout_ms", SettingKind.Integer, "1000", "Longest wait for recall; a late recall leaves the turn without memories (logged)") { Min = 10, Max = 60_000 },
        new("memory.relationship", SettingKind.Boolean, "true", "Relationship level per user in the prompt (also needs features.phase4_human_like)"),
        new("memory.emotion", SettingKind.Boolean, "true", "Emotion label of each user message, stored and in the prompt (also needs features.phase4_human_like)"),
        new("memory.remember_replies", SettingKind.Boolean, "true", "Remember the character's replies too, as its own memories"),
        new("memory.queue_capacity", SettingKind.Integer, "1000", "Post-turn background jobs waiting at most; beyond, new ones are dropped (logged)") { Min = 1, Max = 1_000_000 },
        new("memory.drain_timeout_seconds", SettingKind.Number, "10", "At shutdown, longest wait for queued background jobs") { Min = 0, Max = 600 },
        new("memory.keyword_index", SettingKind.Choice, "memory", "Keyword search: memory (an index per person in process memory, same ranking on every store) or store (the store's full-text search, no memory of its own)") { Choices = ["memory", "store"] },
        new("memory.index_idle_minutes", SettingKind.Number, "60", "A person's in-memory search indexes unused this long are dropped (reloaded from the store on next use); 0 keeps them") { Min = 0, Max = 525_600 },
        new("memory.max_indexed_memories", SettingKind.Integer, "1000000", "Memories held in loaded search indexes at most; beyond, the least recently used people's are dropped; 0: no limit") { Min = 0, Max = 1_000_000_000 },
        new("memory.clustering.enabled", SettingKind.Boolean, "false", "Topic clustering of each person's memories in the background (spherical k-means; labels for listing)"),
        new("memory.clustering.max_clusters", SettingKind.Integer, "64", "Clusters per person at most (k is about the square root of half their memories)") { Min = 2, Max = 1024 },
        new("memory.clustering.interval_seconds", SettingKind.Number, "300", "Time between clustering sweeps") { Min = 1, Max = 86_400 },
        new("memory.clustering.min_new_memories", SettingKind.Integer, "10", "New memories of a person before a sweep clusters them") { Min = 1, Max = 1_000_000 },
        new("memory.clustering.rebuild_share", SettingKind.Number, "0.25", "Re-cluster a person from scratch once memories added since the last full run reach this share") { Min = 0.01, Max = 10 },

        new("server.urls", SettingKind.Text, "http://127.0.0.1:8080", "Where serve listens (semicolon-separated)"),
        new("server.api_key", SettingKind.Secret, null, "Bearer key clients must send; required when listening beyond loopback") { LegacyEnvironment = ["WHISPERENGINE_API_KEY"] },
        new("server.max_request_bytes", SettingKind.Integer, "1048576", "Largest request body") { Min = 1_024, Max = 100_000_000 },
        new("server.warmup_turns", SettingKind.Integer, "0", "Turns serve runs through its own turn path before /readyz says ready (a local model answer, erased after), so the first traffic meets compiled code; at most this many, fewer once the code has settled; 0: none") { Min = 0, Max = 10_000 },

        new("characters.paths", SettingKind.List, null, "Extra directories of character files (the home's characters/ is always read)"),
        new("characters.default", SettingKind.Text, "elena", "Character used by chat when none is named"),

        new("discord.token", SettingKind.Secret, null, "Discord bot token of the bot that speaks as characters.default (bots[].discord_token for several bots)") { LegacyEnvironment = ["DISCORD_BOT_TOKEN"] },
        new("discord.api_base_url", SettingKind.Url, "https://discord.com/api/v10", "Discord REST API; the gateway URL comes from its GET /gateway/bot") { LegacyEnvironment = ["DISCORD_API_BASE_URL"] },
        new("discord.shard_id", SettingKind.Integer, null, "Run only this shard (with discord.shard_count); unset: every shard") { Min = 0, Max = 65_535, LegacyEnvironment = ["DISCORD_SHARD_ID"] },
        new("discord.shard_count", SettingKind.Integer, null, "Total shards; unset: the count Discord recommends") { Min = 1, Max = 65_536, LegacyEnvironment = ["DISCORD_SHARD_COUNT"] },
        new("discord.command_prefix", SettingKind.Text, "!", "Prefix of user and admin commands (!forget, !memory, !status, ...)"),
        new("discord.admin_user_ids", SettingKind.List, null, "Discord user ids allowed to run admin commands (!status, !reload)"),
        new("discord.allow_bots", SettingKind.Boolean, "false", "Answer other bots (a loop guard stops long bot-to-bot exchanges)"),
        new("discord.max_bot_exchanges", SettingKind.Integer, "3", "Replies to bots in a row in one channel before waiting for a human") { Min = 1, Max = 100 },

        // Facts and consolidation (memory.facts.*, memory.consolidation.*): background work with a cheap model.
        new("memory.facts.enabled", SettingKind.Boolean, "true", "Extract facts about people from their conversations, in the background"),
        new("memory.facts.model", SettingKind.Text, null, "Model that extracts facts (default: routing.cheap_model, else llm.chat.model)"),
        new("memory.facts.every_n_messages", SettingKind.Integer, "5", "Extract facts after this many user messages in a conversation") { Min = 1, Max = 1_000 },
        new("memory.facts.quiet_minutes", SettingKind.Number, "10", "... or once a conversation has been quiet this long") { Min = 0.1, Max = 10_080 },
        new("memory.facts.min_confidence", SettingKind.Number, "0.6", "Facts the model is less sure of are not kept") { Min = 0, Max = 1 },
        new("memory.facts.max_prompt_tokens", SettingKind.Integer, "300", "Most tokens of facts in a prompt") { Min = 0, Max = 100_000 },
        new("memory.facts.structured_output", SettingKind.Boolean, "true", "Ask for response_format json_schema; false for endpoints that reject it"),
        new("memory.consolidation.enabled", SettingKind.Boolean, "true", "Summarise old sessions into compact memories (also needs features.phase3_memory)"),
        new("memory.consolidation.model", SettingKind.Text, null, "Model that writes summaries (default: routing.cheap_model, else llm.chat.model)"),
        new("memory.consolidation.min_age_days", SettingKind.Number, "7", "Sessions (a channel's memories of one day) this old are summarised") { Min = 0, Max = 3_650 },
        new("memory.consolidation.min_memories", SettingKind.Integer, "6", "Sessions with fewer memories are left as they are") { Min = 2, Max = 1_000 },
        new("memory.consolidation.interval_minutes", SettingKind.Number, "60", "How often old sessions are looked for") { Min = 1, Max = 10_080 },

        new("features.phase3_memory", SettingKind.Boolean, "true", "Importance (estimated at write), use and decay in memory ranking; consolidation"),
        new("features.phase4_human_like", SettingKind.Boolean, "true", "Relationship and emotion context"),
        new("features.multi_bot_coordination", SettingKind.Boolean, "false", "Bots in one channel coordinate who answers"),

        new("monitoring.metrics", SettingKind.Boolean, "true", "Prometheus /metrics"),
        new("monitoring.health", SettingKind.Boolean, "true", "/healthz and /readyz"),
        new("monitoring.tracing", SettingKind.Boolean, "false", "OpenTelemetry traces"),

        new("logging.level", SettingKind.Choice, "information", "Least severe level written") { Choices = ["trace", "debug", "information", "warning", "error", "critical"] },
        new("logging.format", SettingKind.Choice, "text", "text for people, json for collectors") { Choices = ["text", "json"] },
    ];

    /// <summary>Key prefixes whose children are free-form (validated by their consumers).</summary>
    public static IReadOnlyList<string> OpenPrefixes { get; } = ["llm.prices.", "llm.prompt_caps.", "bots."];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    public static bool IsKnown(string key) => ByKey.ContainsKey(key) || OpenPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The known key closest to a misspelt one, for "did you mean" hints.</summary>
    public static string? Suggest(string key)
    {
        var best = All.Select(d => (d.Key, Distance: Levenshtein(key, d.Key))).MinBy(x => x.Distance);
        return best.Distance <= Math.Max(2, key.Length / 4) ? best.Key : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
