namespace WhisperEngine.Core.Background;

/// <summary>
/// Work done after a turn, off the reply's path: writing memories, recording their use, extracting facts,
/// consolidating. A job carries what it needs (captured when it is made) and runs once on a background worker.
/// </summary>
/// <remarks>
/// A job must not assume an order relative to other jobs, and should be quick (a few store calls or one model call):
/// the workers are shared. An exception is logged and the job is dropped; it is not retried.
/// </remarks>
public interface IBackgroundJob
{
    /// <summary>A short name for logs and metrics, e.g. <c>memory.write</c>; never user data.</summary>
    string Name { get; }

    /// <summary>Does the work. <paramref name="cancellationToken"/> fires when the process stops and the drain time is over.</summary>
    ValueTask RunAsync(CancellationToken cancellationToken = default);
}
