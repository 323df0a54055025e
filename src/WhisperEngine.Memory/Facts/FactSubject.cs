namespace WhisperEngine.Memory.Facts;

/// <summary>Who a fact is about.</summary>
public enum FactSubject
{
    /// <summary>The person the bot talks with ("lives in Lisbon").</summary>
    User = 0,

    /// <summary>The bot itself: what it has said about itself to this person, or (in its global facts) to everyone.</summary>
    Bot = 1,
}
