namespace WhisperEngine.Core.Recall;

/// <summary>
/// Told about every turn once its messages are stored: the hook for post-turn work such as writing memories,
/// extracting facts or updating the relationship. Register any number of them.
/// </summary>
/// <remarks>
/// Called on the turn's own path, after the reply is stored and before the turn's result is returned: an observer
/// must return at once, handing real work to the <see cref="Background.IBackgroundJobQueue"/>. An exception is logged
/// and ignored. Thread-safe: turns of different conversations complete concurrently.
/// </remarks>
public interface ITurnObserver
{
    void OnTurnCompleted(CompletedTurn turn);
}
