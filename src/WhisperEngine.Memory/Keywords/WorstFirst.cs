using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Keywords;

/// <summary>Orders keyword hits worst first: lower score, then (at equal scores) the later memory.</summary>
internal sealed class WorstFirst : IComparer<KeywordHit>
{
    public static WorstFirst Instance { get; } = new();

    public int Compare(KeywordHit x, KeywordHit y)
    {
        var byScore = x.Score.CompareTo(y.Score);
        return byScore != 0 ? byScore : y.Id.CompareTo(x.Id);
    }
}
