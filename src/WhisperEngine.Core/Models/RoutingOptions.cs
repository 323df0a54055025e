namespace WhisperEngine.Core.Models;

/// <summary>Task-aware model choice (config section <c>routing</c>): a cheap model for what it does as well, a strong one where it matters.</summary>
public sealed class RoutingOptions
{
    /// <summary>The model for short, simple messages; null: no task routing.</summary>
    public string? CheapModel { get; init; }

    /// <summary>The model for messages that need it; null: no task routing.</summary>
    public string? StrongModel { get; init; }

    /// <summary>A message at least this long needs the strong model.</summary>
    public int StrongMinChars { get; init; } = 600;

    /// <summary>Words that mark a message as needing the strong model (reasoning, code, analysis).</summary>
    public IReadOnlyList<string> StrongKeywords { get; init; } =
        ["explain", "analyze", "analyse", "step by step", "compare", "prove", "debug", "```", "why does", "how does", "plan"];

    public bool Enabled => CheapModel is not null && StrongModel is not null;
}
