namespace WhisperEngine.Core.Conversations;

/// <summary>
/// Identifies one conversation: the history a bot keeps with one person in one place.
/// Every store partitions by (tenant, bot, user) first, so one person's data never mixes with another's.
/// </summary>
/// <param name="TenantId">The tenant that owns the bot (single-tenant tiers use <c>default</c>).</param>
/// <param name="BotId">The bot, which is also the character id it speaks as.</param>
/// <param name="UserId">The person the bot talks with.</param>
/// <param name="ChannelId">Where they talk: <c>terminal</c>, <c>api</c>, a Discord channel id, ...</param>
public sealed record ConversationKey(string TenantId, string BotId, string UserId, string ChannelId)
{
    /// <summary>The tenant used when none is configured.</summary>
    public const string DefaultTenant = "default";

    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{BotId}/{UserId}/{ChannelId}";
}
