namespace WhisperEngine.Core.Turns;

/// <summary>Settings of the turn pipeline (config section <c>engine</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>Longest accepted user message, in characters.</summary>
    public int MaxInputChars { get; set; } = 8_000;

    /// <summary>Budget for the whole prompt, in tokens; the tier profile sets it.</summary>
    public int MaxPromptTokens { get; set; } = 6_000;

    /// <summary>Stored messages read per turn before the budget cut.</summary>
    public int HistoryMessages { get; set; } = 100;

    /// <summary>Reply length when the character does not set one.</summary>
    public int DefaultMaxOutputTokens { get; set; } = 800;

    /// <summary>The configured chat model (null: the character's preferred models).</summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// Prompt caps per model id (config <c>llm.prompt_caps.&lt;model&gt;</c>): a turn routed to a capped model (or with
    /// one in its fallback chain) gets a prompt of at most the smallest cap among its models, when that is below
    /// <see cref="MaxPromptTokens"/>. Keeps a small-context or pricey model from getting the tier's whole budget.
    /// </summary>
    public IDictionary<string, int> ModelPromptCaps { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The prompt budget of a turn that may be answered by any of <paramref name="models"/>, with the model that set it (null: the tier's).</summary>
    public (int Tokens, string? Model) PromptBudgetFor(IEnumerable<string> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var budget = (MaxPromptTokens, (string?)null);
        foreach (var model in models)
        {
            if (ModelPromptCaps.TryGetValue(model, out var cap) && cap < budget.Item1)
            {
                budget = (cap, model);
            }
        }

        return budget;
    }
}
