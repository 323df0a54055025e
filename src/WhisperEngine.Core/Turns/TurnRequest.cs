using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Turns;

/// <summary>One incoming message, as an adapter (terminal, HTTP, Discord) hands it to the engine.</summary>
/// <param name="Conversation">Tenant, bot (character), user and channel.</param>
/// <param name="Privacy">Where the message was said.</param>
/// <param name="Text">The raw text; the engine validates and cleans it.</param>
/// <param name="RequestedModel">A model the user asked for explicitly, if any.</param>
public sealed record TurnRequest(ConversationKey Conversation, PrivacyLevel Privacy, string Text, string? RequestedModel = null)
{
    /// <summary>How the user is called (a display name); memories name the speaker with it. Null: the user id.</summary>
    public string? UserName { get; init; }
}
