namespace WhisperEngine.Discord.Gateway;

/// <summary>What a close code asks the client to do next.</summary>
internal enum CloseAction
{
    /// <summary>Reconnect and resume the session.</summary>
    Resume,

    /// <summary>Reconnect with a new session (Identify).</summary>
    Reidentify,

    /// <summary>Stop: a setting must change first.</summary>
    Fatal,
}
