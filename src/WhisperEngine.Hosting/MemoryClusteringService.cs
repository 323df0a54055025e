using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Hosting;

/// <summary>
/// Keeps topic clusters up to date in the background (<c>memory.clustering.enabled</c>): every
/// <c>memory.clustering.interval_seconds</c>, <see cref="MemoryClusterer.SweepAsync"/> assigns new memories to their
/// nearest cluster or re-clusters partitions that grew. Never on a reply's path. Idle, with a warning, when the memory
/// store keeps no clusters.
/// </summary>
internal sealed partial class MemoryClusteringService(IServiceProvider services, ClusteringOptions options, TimeProvider time,
    ILogger<MemoryClusteringService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IMemoryClusterStore>() is not { } clusters)
        {
            Unsupported(logger);
            return;
        }

        var clusterer = new MemoryClusterer(services.GetRequiredService<IMemoryStore>(), clusters,
            services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), options, time, services.GetRequiredService<ILogger<MemoryClusterer>>());
        using var timer = new PeriodicTimer(options.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await clusterer.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                SweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(7305, LogLevel.Warning, "memory.clustering.enabled is on, but this memory store keeps no clusters (SQLite does); clustering stays off")]
    private static partial void Unsupported(ILogger logger);

    [LoggerMessage(7306, LogLevel.Warning, "A clustering sweep failed; the next one runs at the next interval")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
