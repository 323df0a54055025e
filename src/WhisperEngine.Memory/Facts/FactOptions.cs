namespace WhisperEngine.Memory.Facts;

/// <summary>Settings of fact extraction and of facts in the prompt (config section <c>memory.facts</c>).</summary>
public sealed class FactOptions
{
    /// <summary>Whether facts are extracted from conversations; people's own facts and the bot's global facts are used either way.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The model that extracts facts (a cheap one does); null: extraction cannot run.</summary>
    public string? Model { get; init; }

    /// <summary>Why <see cref="Model"/> is that model, for the usage ledger's routing reason.</summary>
    public string ModelReason { get; init; } = "memory.facts.model";

    /// <summary>Extract after this many user messages in a conversation.</summary>
    public int EveryNMessages { get; init; } = 5;

    /// <summary>Extract what is left after a conversation has been quiet this long.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Additions and updates below this confidence are not stored.</summary>
    public double MinConfidence { get; init; } = 0.6;

    /// <summary>Most tokens the facts take in a prompt.</summary>
    public int MaxPromptTokens { get; init; } = 300;

    /// <summary>Ask for <c>response_format: json_schema</c>; off for endpoints that reject it (the prompt still asks for the JSON).</summary>
    public bool StructuredOutput { get; init; } = true;

    /// <summary>Most recent messages of a conversation sent to the model in one extraction.</summary>
    public int MaxMessages { get; init; } = 40;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (EveryNMessages < 1)
        {
            throw new ArgumentException($"memory.facts.every_n_messages: {EveryNMessages} is out of range; expected 1 or more.");
        }

        if (QuietPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"memory.facts.quiet_minutes: {QuietPeriod.TotalMinutes} is out of range; expected more than 0.");
        }

        if (!double.IsFinite(MinConfidence) || MinConfidence is < 0 or > 1)
        {
            throw new ArgumentException($"memory.facts.min_confidence: {MinConfidence} is out of range; expected 0 to 1.");
        }

        if (MaxPromptTokens < 0 || MaxMessages < 1)
        {
            throw new ArgumentException($"memory.facts.max_prompt_tokens / max_messages: {MaxPromptTokens} / {MaxMessages} are out of range.");
        }
    }
}
