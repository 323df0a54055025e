namespace WhisperEngine.Testing.Discord;

/// <summary>A gateway session: its sequence, the events sent in it (for replay on resume) and its current connection.</summary>
internal sealed class SimulatedSession(string id, int shardId, int shardCount)
{
    /// <summary>Held while a sequence number is assigned and its frame sent, and while a resume replays.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public string Id { get; } = id;

    public int ShardId { get; } = shardId;

    public int ShardCount { get; } = shardCount;

    public int Sequence { get; set; }

    public List<(int Sequence, byte[] Frame)> Events { get; } = [];

    public GatewayPeer? Peer { get; set; }

    /// <summary>Invalid sessions cannot be resumed.</summary>
    public bool Invalidated { get; set; }
}
