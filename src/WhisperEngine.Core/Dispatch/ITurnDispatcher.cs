using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Dispatch;

/// <summary>
/// Orders turns: turns of one conversation run one at a time in arrival order; different conversations run
/// in parallel up to a concurrency limit. In-process for tiers 1-2; a cluster implementation routes to the
/// node that owns the conversation.
/// </summary>
public interface ITurnDispatcher
{
    /// <summary>
    /// Waits for this conversation's turn. Dispose the lease when the turn is done (also on failure).
    /// Throws <see cref="Turns.TurnException"/> (<see cref="Turns.TurnErrorKind.Busy"/>) when the queue is full.
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAsync(ConversationKey key, CancellationToken cancellationToken = default);
}
