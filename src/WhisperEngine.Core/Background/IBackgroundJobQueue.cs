namespace WhisperEngine.Core.Background;

/// <summary>The bounded queue of post-turn background jobs, drained by background workers.</summary>
/// <remarks>Thread-safe. Never blocks: a turn hands its jobs over and goes on.</remarks>
public interface IBackgroundJobQueue
{
    /// <summary>
    /// Queues <paramref name="job"/>; false (and a warning in the log) when the queue is full or shutting down, in
    /// which case the job is dropped.
    /// </summary>
    bool TryEnqueue(IBackgroundJob job);
}
