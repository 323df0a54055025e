using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.AI.Chat;

/// <summary>Composes the engine's chat-client pipeline around a provider client.</summary>
public static class ChatPipeline
{
    /// <summary>OpenTelemetry source name of model-call traces and metrics.</summary>
    public const string TelemetrySourceName = "WhisperEngine.AI";

    /// <summary>
    /// Outermost first: fallback across models, OpenTelemetry, retry with backoff, usage ledger, per-attempt
    /// timeout, then the provider (the ledger sits outside the timeout so that it records a timeout as such). Each retry and fallback attempt is timed and recorded on its own.
    /// Calls of serve's warm-up turns are answered in front of the provider (<see cref="WarmupChatClient"/>).
    /// </summary>
    public static IChatClient Build(IChatClient provider, ModelEndpointOptions options, IUsageLedger ledger, ITokenCounter tokens,
        ILoggerFactory loggerFactory, TimeProvider time, Core.Models.IModelHealth? health = null)
    {
        return new ChatClientBuilder(new WarmupChatClient(provider))
            .Use(inner => new FallbackChatClient(inner, loggerFactory.CreateLogger<FallbackChatClient>()))
            .UseOpenTelemetry(loggerFactory, TelemetrySourceName)
            .Use(inner => new RetryingChatClient(inner, options, time, loggerFactory.CreateLogger<RetryingChatClient>()))
            .Use(inner => new UsageRecordingChatClient(inner, ledger, tokens, options, time, health))
            .Use(inner => new TimeoutChatClient(inner, options))
            .Build();
    }
}
