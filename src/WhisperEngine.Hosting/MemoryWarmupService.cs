using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WhisperEngine.Hosting;

/// <summary>Loads the embedding model in the background at start, so that the first turn's recall does not wait for it.</summary>
internal sealed class MemoryWarmupService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => services.GetService<IEmbeddingGenerator<string, Embedding<float>>>(), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
