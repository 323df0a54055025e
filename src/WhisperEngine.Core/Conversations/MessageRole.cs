namespace WhisperEngine.Core.Conversations;

/// <summary>Who said a stored message.</summary>
public enum MessageRole
{
    /// <summary>The person.</summary>
    User = 0,

    /// <summary>The character.</summary>
    Assistant = 1,
}
