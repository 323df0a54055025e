namespace WhisperEngine.Core.Recall;

/// <summary>One line of a <see cref="ContextSection"/>.</summary>
/// <param name="Text">The line as the model sees it, e.g. <c>[3 Mar 2025] Ann: My sister Kate is visiting.</c></param>
/// <param name="Tokens">Its token count (counted once by the provider, e.g. at write time).</param>
public sealed record ContextLine(string Text, int Tokens)
{
    /// <summary>
    /// The message the line was made from, when it was one: a line whose message is already in the recent history of
    /// the prompt is left out, so nothing is said twice.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>The provider's own handle on the line (a memory id), handed back in <see cref="CompletedTurn.ContextUsed"/>.</summary>
    public object? Tag { get; init; }
}
