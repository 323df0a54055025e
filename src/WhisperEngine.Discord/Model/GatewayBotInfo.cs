namespace WhisperEngine.Discord.Model;

/// <summary>The answer to <c>GET /gateway/bot</c>.</summary>
public sealed record GatewayBotInfo
{
    /// <summary>The gateway WebSocket URL, without version or encoding parameters.</summary>
    public string Url { get; init; } = "";

    /// <summary>The shard count Discord recommends.</summary>
    public int Shards { get; init; } = 1;

    public SessionStartLimit SessionStartLimit { get; init; } = new();
}
