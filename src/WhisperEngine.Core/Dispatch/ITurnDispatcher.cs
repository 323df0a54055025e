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

    /// <summary>
    /// Holds every conversation in <paramref name="keys"/> at once (erasing a person's data): waits until the turns
    /// queued before have finished, and keeps turns that arrive later waiting until the lease is disposed. Takes no
    /// turn slot and is not counted against the queue capacity, so it cannot starve itself however many
    /// conversations it holds. An empty set returns at once.
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAllAsync(IReadOnlyCollection<ConversationKey> keys, CancellationToken cancellationToken = default);
}
