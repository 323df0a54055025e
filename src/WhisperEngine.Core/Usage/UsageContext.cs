namespace WhisperEngine.Core.Usage;

/// <summary>
/// Who a model call is for. The turn pipeline puts it into <c>ChatOptions.AdditionalProperties</c> under
/// <see cref="PropertyName"/>; the usage-recording chat client reads it and removes it before the request leaves.
/// </summary>
public sealed record UsageContext(string TenantId, string BotId, string UserId, string Task, string? RoutingReason)
{
    /// <summary>The prompt's tokens as the engine counted them, used when the provider reports no usage.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>When set, a streamed call's usage record is written while its caller goes on, which waits for it here.</summary>
    public DeferredUsageRecords? Deferred { get; init; }

    /// <summary>The key in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string PropertyName = "whisperengine.usage";
}
