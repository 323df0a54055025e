namespace WhisperEngine.Memory.Facts;

/// <summary>The facts section of a prompt.</summary>
/// <param name="Text">The section, ready to add to the system prompt; empty when there are no facts to use.</param>
/// <param name="Tokens">Its tokens.</param>
/// <param name="Facts">The facts it holds, best first.</param>
/// <param name="LeftOut">Facts that may be used here but did not fit the budget.</param>
public sealed record FactPrompt(string Text, int Tokens, IReadOnlyList<FactRecord> Facts, int LeftOut)
{
    public static FactPrompt Empty { get; } = new("", 0, [], 0);
}
