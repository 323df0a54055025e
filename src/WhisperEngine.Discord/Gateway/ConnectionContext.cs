namespace WhisperEngine.Discord.Gateway;

/// <summary>The state of one connection, shared by its receive loop, heartbeat loop and handshake timer.</summary>
internal sealed class ConnectionContext(GatewayConnection connection, bool resuming)
{
    private const int NormalClosure = 1000;

    private long _lastBeat;
    private Task? _shutdown;
    private ITimer? _abortTimer;
    private volatile bool _acked = true;
    private volatile bool _reachedReady;
    private volatile bool _handshakeTimedOut;

    public GatewayConnection Connection { get; } = connection;

    /// <summary>This connection resumes a session (rather than identifying a new one).</summary>
    public bool Resuming { get; } = resuming;

    /// <summary>READY or RESUMED arrived on this connection.</summary>
    public bool ReachedReady
    {
        get => _reachedReady;
        set => _reachedReady = value;
    }

    /// <summary>Hello, READY or RESUMED did not arrive in time; the connection was cut.</summary>
    public bool HandshakeTimedOut
    {
        get => _handshakeTimedOut;
        set => _handshakeTimedOut = value;
    }

    /// <summary>The last heartbeat was acknowledged (true before the first one).</summary>
    public bool Acked => _acked;

    /// <summary>Events received while resuming, before RESUMED: the ones missed while away.</summary>
    public int Replayed { get; set; }

    /// <summary>
    /// Starts a clean close (1000 ends the session, so the bot shows offline at once); the receive loop reads the
    /// server's answer. A server that does not answer within <paramref name="timeout"/> is cut off.
    /// </summary>
    public void BeginShutdown(TimeSpan timeout, TimeProvider time)
    {
        _abortTimer = time.CreateTimer(_ => Connection.Abort(), null, timeout, Timeout.InfiniteTimeSpan);
        _shutdown = Connection.SendCloseAsync(NormalClosure, "shutting down", timeout);
    }

    public async Task EndShutdownAsync()
    {
        if (_shutdown is { } shutdown)
        {
            await shutdown;
        }

        if (_abortTimer is { } timer)
        {
            await timer.DisposeAsync();
        }
    }

    public void BeatSent(long timestamp)
    {
        Interlocked.Exchange(ref _lastBeat, timestamp);
        _acked = false;
    }

    /// <summary>Records an ACK; returns the timestamp of the heartbeat it answers.</summary>
    public long Ack()
    {
        _acked = true;
        return Interlocked.Read(ref _lastBeat);
    }
}
