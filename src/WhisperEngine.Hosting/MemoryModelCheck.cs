using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Storage;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Hosting;

/// <summary>
/// At start, in the background: counts the stored memories whose vector is of another embedding model than the one
/// configured (a change of model) and, if there are any, says so and names the command that re-embeds them. They are
/// never compared with the new model's vectors meanwhile (dense search leaves them out; keyword search still finds them).
/// The current model is read from the registered <see cref="EmbeddingGeneratorMetadata"/>, so the check does not load it.
/// </summary>
public sealed partial class MemoryModelCheck(IServiceProvider services, ILogger<MemoryModelCheck> logger) : IHostedService
{
    /// <summary>The command the warning names.</summary>
    public const string ReembedCommand = "whisperengine memory reembed";

    private Task _check = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _check = Task.Run(() => CheckAsync(CancellationToken.None), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _check.WaitAsync(cancellationToken);

    /// <summary>Runs the check; returns how many memories need re-embedding (0 when memory is not configured).</summary>
    public async Task<long> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (services.GetService<IMemoryCatalog>() is not { } catalog
                || services.GetService<EmbeddingGeneratorMetadata>() is not { DefaultModelId: { Length: > 0 } model, DefaultModelDimensions: { } dimensions })
            {
                return 0;
            }

            var inventory = await catalog.GetEmbeddingInventoryAsync(cancellationToken);
            var other = inventory.Where(i => i.Model is null || i.Model.Model != model || i.Model.Dimensions != dimensions).ToList();
            var count = other.Sum(i => i.Count);
            if (count > 0)
            {
                Log.ModelChanged(logger, count, $"{model} ({dimensions}d)", string.Join(", ", other.Select(i => $"{i.Model?.ToString() ?? "no vector"}: {i.Count}")),
                    ReembedCommand);
            }

            return count;
        }
        catch (StorageException ex)
        {
            Log.CheckFailed(logger, ex.Message);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(7007, LogLevel.Warning,
            "Embedding model change detected: {Count} memories have vectors of another model than {Model} ({Models}); dense search leaves them out until they are re-embedded: run `{Command}`")]
        public static partial void ModelChanged(ILogger logger, long count, string model, string models, string command);

        [LoggerMessage(7008, LogLevel.Warning, "Could not check the embedding models of stored memories: {Reason}")]
        public static partial void CheckFailed(ILogger logger, string reason);
    }
}
