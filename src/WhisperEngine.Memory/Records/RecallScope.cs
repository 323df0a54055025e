using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Records;

/// <summary>
/// Where memories are being recalled: the speaker's partition and the channel the reply goes to. It decides which
/// memories may be used there (<see cref="Allows"/>); every store and index applies the same rule.
/// </summary>
/// <param name="Partition">The speaker's memories; a group channel recalls for each speaker separately.</param>
/// <param name="ChannelId">The channel of the reply.</param>
/// <param name="Privacy">What kind of channel that is.</param>
public sealed record RecallScope(MemoryPartition Partition, string ChannelId, PrivacyLevel Privacy)
{
    /// <summary>The scope of a turn in a conversation.</summary>
    public static RecallScope Of(ConversationKey conversation, PrivacyLevel privacy)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new RecallScope(MemoryPartition.Of(conversation), conversation.ChannelId, privacy);
    }

    /// <summary>
    /// True when a memory said with <paramref name="memoryPrivacy"/> in <paramref name="memoryChannelId"/> may be
    /// recalled here. In a direct message: everything of this person. In a private channel: what was said in public,
    /// and what was said in this same channel. In a public channel: only what was said in public.
    /// </summary>
    public bool Allows(PrivacyLevel memoryPrivacy, string memoryChannelId) => Privacy switch
    {
        PrivacyLevel.DirectMessage => true,
        PrivacyLevel.PrivateChannel => memoryPrivacy == PrivacyLevel.PublicChannel
            || (memoryPrivacy == PrivacyLevel.PrivateChannel && string.Equals(memoryChannelId, ChannelId, StringComparison.Ordinal)),
        _ => memoryPrivacy == PrivacyLevel.PublicChannel,
    };
}
