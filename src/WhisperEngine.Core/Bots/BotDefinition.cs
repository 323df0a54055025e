namespace WhisperEngine.Core.Bots;

/// <summary>
/// One bot of a deployment: an identity people talk to, speaking as a character, with its own credentials,
/// model preference and limits. Its id is the <c>BotId</c> of every conversation key, so each bot's data is its own.
/// </summary>
public sealed record BotDefinition
{
    public required string Id { get; init; }
    public string TenantId { get; init; } = Conversations.ConversationKey.DefaultTenant;
    public required string CharacterId { get; init; }

    /// <summary>The bot's model; null: the configured model.</summary>
    public string? Model { get; init; }

    /// <summary>Turns of this bot running at once; null: only the deployment's limit applies.</summary>
    public int? MaxConcurrentTurns { get; init; }
}
