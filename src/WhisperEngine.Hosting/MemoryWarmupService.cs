using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WhisperEngine.Hosting;

/// <summary>
/// Loads the embedding model in the background at start (one embedding, which also compiles the path), so that the
/// first turn's recall does not wait for it and time out.
/// </summary>
internal sealed class MemoryWarmupService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var generator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
                if (generator is not null)
                {
                    await generator.GenerateAsync(["warm up"], cancellationToken: CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The first recall loads it instead, and reports a failure there.
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
