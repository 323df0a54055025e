using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Input;

/// <summary>A user message that passed validation.</summary>
/// <param name="Text">The cleaned text to store and send.</param>
/// <param name="Flags">What cleaning found.</param>
public sealed record ValidatedInput(string Text, MessageFlags Flags);
