using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Jobs;

namespace WhisperEngine.Hosting;

/// <summary>
/// Runs memory's periodic jobs (fact extraction of quiet conversations, the consolidation sweep) off the reply's path,
/// one after another, checking every <see cref="Tick"/>. Does nothing when the store has no facts (a backend without them).
/// </summary>
public sealed class MemoryJobService(IServiceProvider services, TimeProvider time) : BackgroundService
{
    /// <summary>How often due jobs are looked for.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IFactStore>() is null)
        {
            return;
        }

        var jobs = services.GetRequiredService<MemoryJobs>();
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            do
            {
                foreach (var job in jobs.DueJobs())
                {
                    await job(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
