using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Api;

/// <summary>
/// Once the server listens, builds the turn path (the pipeline and what it holds), loads the tokenizer vocabulary and
/// configures the API's JSON contracts in the background, then collects the garbage that load leaves (about 90 MB of
/// large arrays) in one full, compacting collection. <c>/readyz</c> waits for it, so traffic meets a warm server: the first turns neither wait for the
/// vocabulary nor meet the long collection it would otherwise cause under load (0.3-0.9 s pauses in the load bench).
/// </summary>
/// <remarks>Thread-safe. A failed warm-up still counts as done: the first turn then reports the failure itself.</remarks>
internal sealed partial class TurnPathWarmup(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<TurnPathWarmup> logger) : IHostedService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has run (or failed).</summary>
    public Task Done => _done.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(Warm, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Warm()
    {
        try
        {
            services.GetRequiredService<TurnPipeline>();
            services.GetRequiredService<ITokenCounter>().CountTokens("warm up");
            ConfigureJsonContracts();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Failed(logger, ex.Message);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>
    /// Configures the API's JSON contracts once, here: the first use of each configures it under a lock, and in the load
    /// bench four of the burst's first turns waited 75 ms on the response's.
    /// </summary>
    private static void ConfigureJsonContracts()
    {
        var context = ApiJsonContext.Default;
        _ = (context.ChatCompletionRequest, context.ChatCompletionResponse, context.ModelList, context.ModelInfo, context.ErrorResponse,
            context.HealthReport, context.ErasureResponse);
    }

    private static partial class Log
    {
        [LoggerMessage(4020, LogLevel.Warning, "Warm-up of the turn path failed ({Reason}); the first turn will report it")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
