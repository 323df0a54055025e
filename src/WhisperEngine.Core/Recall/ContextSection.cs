namespace WhisperEngine.Core.Recall;

/// <summary>A titled part of the system prompt, e.g. recalled memories or what the relationship is.</summary>
/// <param name="Title">The heading (one line, no markup needed).</param>
/// <param name="Lines">The lines, best first: when the budget is short the later ones are left out.</param>
public sealed record ContextSection(string Title, IReadOnlyList<ContextLine> Lines)
{
    /// <summary>Where the section goes among the others, smaller first; it is also the order in which sections get the budget.</summary>
    public int Order { get; init; } = 100;
}
