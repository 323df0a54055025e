using System.Collections.Concurrent;
using WhisperEngine.Core.Recall;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>A turn observer that records the turns it is told about, and can throw.</summary>
public sealed class RecordingObserver(bool fail = false) : ITurnObserver
{
    private readonly ConcurrentQueue<CompletedTurn> _turns = new();

    public IReadOnlyList<CompletedTurn> Turns => _turns.ToArray();

    public void OnTurnCompleted(CompletedTurn turn)
    {
        _turns.Enqueue(turn);
        if (fail)
        {
            throw new InvalidOperationException("observer failed");
        }
    }
}
