using Microsoft.Extensions.Hosting;
using WhisperEngine.Core.Background;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Hosting;

/// <summary>
/// Runs the workers of the post-turn <see cref="BackgroundJobQueue"/> (<c>workers.background</c> of them) while the
/// host runs; at stop, closes the queue and waits up to <c>memory.drain_timeout_seconds</c> for the jobs queued.
/// </summary>
internal sealed class BackgroundJobService(BackgroundJobQueue queue, WhisperEngineSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = queue.RunAsync(settings.BackgroundWorkers, CancellationToken.None);
        return Task.CompletedTask;
    }

    // The drain has its own deadline (real time, whatever clock the engine runs on); the host's stop deadline cuts it short too.
    public Task StopAsync(CancellationToken cancellationToken) => queue.DrainAsync(settings.Memory.DrainTimeout, cancellationToken: cancellationToken);
}
