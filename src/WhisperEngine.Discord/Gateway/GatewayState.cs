namespace WhisperEngine.Discord.Gateway;

/// <summary>Where a <see cref="DiscordGatewayClient"/> is in its life.</summary>
public enum GatewayState
{
    /// <summary>Not connected; between connections or not started.</summary>
    Disconnected = 0,

    /// <summary>Opening the WebSocket and waiting for Hello.</summary>
    Connecting = 1,

    /// <summary>Identify sent (new session), waiting for READY.</summary>
    Identifying = 2,

    /// <summary>Resume sent, waiting for the missed events and RESUMED.</summary>
    Resuming = 3,

    /// <summary>Receiving events.</summary>
    Ready = 4,

    /// <summary>Stopped for good: cancelled, or a close code that a retry cannot fix.</summary>
    Stopped = 5,
}
