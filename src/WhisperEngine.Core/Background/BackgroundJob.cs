namespace WhisperEngine.Core.Background;

/// <summary>A background job made of a delegate: <c>queue.TryEnqueue(new BackgroundJob("facts.extract", ct =&gt; ...))</c>.</summary>
/// <param name="Name">A short name for logs (see <see cref="IBackgroundJob.Name"/>).</param>
/// <param name="Work">The work.</param>
public sealed record BackgroundJob(string Name, Func<CancellationToken, ValueTask> Work) : IBackgroundJob
{
    public ValueTask RunAsync(CancellationToken cancellationToken = default) => Work(cancellationToken);
}
