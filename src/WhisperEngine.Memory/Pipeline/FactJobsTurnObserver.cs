using WhisperEngine.Core.Background;
using WhisperEngine.Core.Recall;
using WhisperEngine.Memory.Jobs;

namespace WhisperEngine.Memory.Pipeline;

/// <summary>
/// Counts each completed turn's user message for fact extraction and queues the extraction when the conversation is
/// due (every <see cref="Facts.FactOptions.EveryNMessages"/> messages; quiet conversations are picked up by the
/// periodic sweep). The reply never waits for it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FactJobsTurnObserver(MemoryJobs jobs, IBackgroundJobQueue queue) : ITurnObserver
{
    public void OnTurnCompleted(CompletedTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (jobs.AfterUserMessage(turn.Conversation, turn.Privacy) is { } job)
        {
            queue.TryEnqueue(new BackgroundJob("memory.facts", ct => new ValueTask(job(ct))));
        }
    }
}
