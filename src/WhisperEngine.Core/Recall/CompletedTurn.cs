using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Recall;

/// <summary>A turn whose messages are stored, as <see cref="ITurnObserver"/>s see it.</summary>
/// <param name="Conversation">Tenant, bot, user and channel.</param>
/// <param name="Privacy">Where it was said.</param>
/// <param name="SpeakerName">How the user is called.</param>
/// <param name="CharacterName">The character's name.</param>
/// <param name="UserMessage">The user's message as stored (its time is when it was said).</param>
public sealed record CompletedTurn(ConversationKey Conversation, PrivacyLevel Privacy, string SpeakerName, string CharacterName, StoredMessage UserMessage)
{
    /// <summary>
    /// The reply as stored; null when the model failed before any text. A reply cut short or blocked carries
    /// <see cref="MessageFlags.Interrupted"/> or <see cref="MessageFlags.LeakBlocked"/>.
    /// </summary>
    public StoredMessage? Reply { get; init; }

    /// <summary>The character's message just before <see cref="UserMessage"/> in this conversation (what the user answered), if any.</summary>
    public StoredMessage? PreviousReply { get; init; }

    /// <summary>The context lines that went into the prompt (to record which memories were used).</summary>
    public IReadOnlyList<ContextLine> ContextUsed { get; init; } = [];
}
