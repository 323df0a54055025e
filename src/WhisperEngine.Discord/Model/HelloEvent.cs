namespace WhisperEngine.Discord.Model;

/// <summary>Op 10: the first frame on a connection.</summary>
internal sealed record HelloEvent
{
    public int HeartbeatInterval { get; init; }
}
