using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Privacy;

/// <summary>Finds the conversations of a person, so that an erasure can hold their turns (implemented by the conversation stores).</summary>
public interface IUserConversationLocator
{
    /// <summary>Returns the keys of every stored conversation in <paramref name="scope"/>.</summary>
    ValueTask<IReadOnlyList<ConversationKey>> FindConversationsAsync(UserDataScope scope, CancellationToken cancellationToken = default);
}
