namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>One LoCoMo sample: a long two-person conversation in sessions, and questions about it.</summary>
internal sealed record LocomoConversation(string Id, IReadOnlyList<LocomoSession> Sessions, IReadOnlyList<LocomoQuestion> Questions)
{
    public int TurnCount => Sessions.Sum(s => s.Turns.Count);
}
