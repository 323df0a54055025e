namespace WhisperEngine.Core.Conversations;

/// <summary>Where a message was said, which decides what may be recalled there.</summary>
public enum PrivacyLevel
{
    /// <summary>A direct message between the person and the bot.</summary>
    DirectMessage = 0,

    /// <summary>A channel with restricted membership.</summary>
    PrivateChannel = 1,

    /// <summary>A channel anyone in the community can read.</summary>
    PublicChannel = 2,
}
