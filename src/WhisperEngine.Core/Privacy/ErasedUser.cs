using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Privacy;

/// <summary>An erasure whose rows are gone, handed to the <see cref="IErasureFinisher"/>s.</summary>
/// <param name="Scope">Whose data was erased.</param>
/// <param name="Conversations">The conversations that were held and erased (for caches keyed by conversation).</param>
public sealed record ErasedUser(UserDataScope Scope, IReadOnlyList<ConversationKey> Conversations);
