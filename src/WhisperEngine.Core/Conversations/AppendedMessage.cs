namespace WhisperEngine.Core.Conversations;

/// <summary>A message just stored, with the conversation's newest messages read right after it (it included).</summary>
/// <param name="Message">The message as stored; its conversation id is the one it was stored under.</param>
/// <param name="Recent">Up to the requested number of the conversation's newest messages, oldest first.</param>
public sealed record AppendedMessage(StoredMessage Message, IReadOnlyList<StoredMessage> Recent);
