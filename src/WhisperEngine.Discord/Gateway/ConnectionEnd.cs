namespace WhisperEngine.Discord.Gateway;

/// <summary>Why one gateway connection ended, and how the next one should start.</summary>
/// <param name="Resume">Resume the session next time; otherwise identify anew.</param>
/// <param name="Delay">A fixed delay before reconnecting (op 7: none; Invalid Session: 1-5 s); null means backoff.</param>
/// <param name="ReachedReady">The connection got as far as READY or RESUMED, so the backoff starts over.</param>
/// <param name="Reason">For the log.</param>
internal sealed record ConnectionEnd(bool Resume, TimeSpan? Delay, bool ReachedReady, string Reason);
