using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Recall;

/// <summary>What a <see cref="ITurnContextProvider"/> is asked for: the turn's place, speaker and message.</summary>
/// <param name="Conversation">Tenant, bot, the speaking user and the channel.</param>
/// <param name="Privacy">Where the reply will be read; decides what may be recalled.</param>
/// <param name="SpeakerName">How the user is called (display name, else their id).</param>
/// <param name="CharacterName">The character's name.</param>
/// <param name="Text">The user's new message, after input cleaning.</param>
public sealed record TurnContextRequest(ConversationKey Conversation, PrivacyLevel Privacy, string SpeakerName, string CharacterName, string Text);
