using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>A conversation message that facts are extracted from.</summary>
/// <param name="Id">The stored message id (facts name it as their source).</param>
/// <param name="Role">Who said it: facts come from what the user says; the bot's lines are context.</param>
/// <param name="Text">What was said.</param>
/// <param name="At">When.</param>
public sealed record FactSourceMessage(long Id, MessageRole Role, string Text, DateTimeOffset At)
{
    public static FactSourceMessage From(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new FactSourceMessage(message.Id, message.Role, message.Content, message.CreatedAt);
    }
}
