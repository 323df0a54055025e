namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private readonly List<(SimulatedRateLimitScope Scope, TimeSpan RetryAfter, string? PathContains)> _pending429 = [];
    private readonly List<(int Status, string? PathContains)> _pending5xx = [];

    /// <summary>Cuts every open gateway connection without a close frame, like a network failure. Sessions stay resumable.</summary>
    public void DropConnections()
    {
        foreach (var peer in PeersSnapshot().Where(p => p.ClosedAt is null))
        {
            peer.Drop();
        }
    }

    /// <summary>Open connections stop acknowledging heartbeats (connections opened later acknowledge again).</summary>
    public void StopAckingHeartbeats()
    {
        foreach (var peer in PeersSnapshot().Where(p => p.ClosedAt is null))
        {
            peer.Acking = false;
        }
    }

    /// <summary>
    /// Open connections hang: no heartbeat ACKs and no answer to the client's close frame, like a server that died
    /// with the TCP connection still up (connections opened later behave).
    /// </summary>
    public void FreezeConnections()
    {
        foreach (var peer in PeersSnapshot().Where(p => p.ClosedAt is null))
        {
            peer.Frozen = true;
        }
    }

    /// <summary>Sends op 7 Reconnect on every open connection.</summary>
    public async Task SendReconnectAsync()
    {
        foreach (var peer in PeersSnapshot().Where(p => p.IsOpen))
        {
            await peer.SendAsync(Frame(7, null), _stopping.Token);
        }
    }

    /// <summary>Sends op 9 Invalid Session on every open connection; a non-resumable one ends the session.</summary>
    public async Task SendInvalidSessionAsync(bool resumable)
    {
        foreach (var peer in PeersSnapshot().Where(p => p.IsOpen))
        {
            if (!resumable && peer.Session is { } session)
            {
                lock (_lock)
                {
                    session.Invalidated = true;
                }
            }

            await peer.SendAsync(Frame(9, resumable), _stopping.Token);
        }
    }

    /// <summary>Closes every open connection with <paramref name="code"/>; codes that end a session in Discord end it here too.</summary>
    public async Task CloseWithAsync(int code, string reason = "")
    {
        foreach (var peer in PeersSnapshot().Where(p => p.IsOpen))
        {
            if (code is 1000 or 1001 or 4003 or 4007 or 4009 && peer.Session is { } session)
            {
                lock (_lock)
                {
                    session.Invalidated = true;
                }
            }

            await peer.CloseAsync(code, reason, _stopping.Token);
        }
    }

    /// <summary>The next Identify is answered by closing with <paramref name="closeCode"/> (e.g. 4004, 4014).</summary>
    public void FailNextIdentify(int closeCode)
    {
        lock (_lock)
        {
            _failNextIdentify = closeCode;
        }
    }

    /// <summary>
    /// The next REST request (whose path contains <paramref name="pathContains"/>, when given) gets a 429 asking
    /// for <paramref name="retryAfter"/>; until then the simulator enforces it, so a client that comes back early
    /// gets another (non-injected) 429.
    /// </summary>
    public void Return429(SimulatedRateLimitScope scope, TimeSpan retryAfter, string? pathContains = null)
    {
        lock (_lock)
        {
            _pending429.Add((scope, retryAfter, pathContains));
        }
    }

    /// <summary>The next <paramref name="count"/> REST requests (matching <paramref name="pathContains"/>) fail with <paramref name="statusCode"/>.</summary>
    public void Return5xx(int count, int statusCode = 502, string? pathContains = null)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _pending5xx.Add((statusCode, pathContains));
            }
        }
    }

    private GatewayPeer[] PeersSnapshot()
    {
        lock (_lock)
        {
            return _peers.ToArray();
        }
    }
}
