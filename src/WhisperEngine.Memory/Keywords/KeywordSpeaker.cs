namespace WhisperEngine.Memory.Keywords;

/// <summary>One speaker of a partition in its keyword index: the terms of the name with their counts, its length in tokens, and how many live memories it said.</summary>
/// <remarks>Not thread-safe: <see cref="KeywordIndex"/> guards it.</remarks>
internal sealed class KeywordSpeaker(Dictionary<string, int> terms, int tokens)
{
    public IReadOnlyDictionary<string, int> Terms { get; } = terms;

    public int Tokens { get; } = tokens;

    public int Live { get; set; }
}
