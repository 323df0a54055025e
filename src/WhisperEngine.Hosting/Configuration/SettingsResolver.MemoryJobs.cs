using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Hosting.Configuration;

internal sealed partial class SettingsResolver
{
    /// <summary>The <c>memory.facts.*</c> settings; the model defaults to the routing's cheap model, then the chat model.</summary>
    private FactOptions Facts(string? chatModel)
    {
        var (model, reason) = BackgroundModel("memory.facts.model", chatModel);
        return new FactOptions
        {
            Enabled = Bool("memory.facts.enabled"),
            Model = model,
            ModelReason = reason,
            EveryNMessages = Integer("memory.facts.every_n_messages"),
            QuietPeriod = TimeSpan.FromMinutes(Number("memory.facts.quiet_minutes")),
            MinConfidence = Number("memory.facts.min_confidence"),
            MaxPromptTokens = Integer("memory.facts.max_prompt_tokens"),
            StructuredOutput = Bool("memory.facts.structured_output"),
        };
    }

    /// <summary>The <c>memory.consolidation.*</c> settings; off when <c>features.phase3_memory</c> is off.</summary>
    private ConsolidationOptions Consolidation(string? chatModel)
    {
        var (model, reason) = BackgroundModel("memory.consolidation.model", chatModel);
        var minMemories = Integer("memory.consolidation.min_memories");
        return new ConsolidationOptions
        {
            Enabled = Bool("memory.consolidation.enabled") && Bool("features.phase3_memory"),
            Model = model,
            ModelReason = reason,
            MinAge = TimeSpan.FromDays(Number("memory.consolidation.min_age_days")),
            MinMemories = minMemories,
            MaxMemoriesPerSummary = Math.Max(60, minMemories),
            Interval = TimeSpan.FromMinutes(Number("memory.consolidation.interval_minutes")),
        };
    }

    private (string? Model, string Reason) BackgroundModel(string key, string? chatModel)
    {
        if (Text(key) is { Length: > 0 } own)
        {
            return (own, key);
        }

        var (model, reason) = Text("routing.cheap_model") is { Length: > 0 } cheap
            ? (cheap, "routing.cheap_model")
            : (chatModel, "llm.chat.model");
        if (model is not null)
        {
            // config show lists the model in use and where it came from.
            _effective[key] = (new ConfigValue(model, null, $"computed: {reason}, as {key} is not set"), model);
        }

        return (model, reason);
    }
}
