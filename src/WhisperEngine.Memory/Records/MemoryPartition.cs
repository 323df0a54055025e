using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Records;

/// <summary>
/// The unit of memory isolation: what one bot remembers of one person, in one tenant. Every read and write names a
/// partition, so one person's memories never reach another, and one bot's or tenant's never reach another's.
/// </summary>
/// <param name="TenantId">The tenant that owns the bot.</param>
/// <param name="BotId">The bot (character) that remembers.</param>
/// <param name="UserId">The person remembered.</param>
public sealed record MemoryPartition(string TenantId, string BotId, string UserId)
{
    /// <summary>The partition of the person a conversation is with.</summary>
    public static MemoryPartition Of(ConversationKey conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new MemoryPartition(conversation.TenantId, conversation.BotId, conversation.UserId);
    }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{BotId}/{UserId}";
}
