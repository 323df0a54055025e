using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

/// <summary>
/// One shard's connection to the Discord gateway (v10, JSON). <see cref="RunAsync"/> keeps it alive: it identifies,
/// heartbeats (with the initial jitter), treats a missing heartbeat ACK as a dead connection, resumes the session
/// after drops, op 7 and resumable invalid sessions (missed events are replayed by Discord), identifies anew when
/// the session is gone, backs off between failed attempts, and stops with a <see cref="DiscordException"/> that says
/// what to fix on the close codes a retry cannot cure (4004 token, 4010/4011 shards, 4012 version, 4013/4014 intents).
/// Events arrive in order on <see cref="Dispatches"/>.
/// </summary>
/// <remarks>
/// Thread-safe to observe; <see cref="RunAsync"/> runs once. Read <see cref="Dispatches"/> promptly and hand work off:
/// the queue is unbounded so that a slow reader never delays heartbeats.
/// </remarks>
public sealed partial class DiscordGatewayClient
{
    private readonly DiscordGatewayOptions _options;
    private readonly ILogger _logger;
    private readonly IdentifyQueue _identifyQueue;
    private readonly TimeProvider _time;
    private readonly Channel<GatewayDispatch> _dispatches =
        Channel.CreateUnbounded<GatewayDispatch>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource<ReadyEvent> _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _running;
    private int _state;
    private int _sequence = -1;
    private long _latencyTicks = -1;
    private volatile string? _sessionId;
    private volatile string? _resumeUrl;
    private volatile string? _gatewayUrl;
    private volatile DiscordUser? _user;
    private int? _recommendedShards;

    public DiscordGatewayClient(DiscordGatewayOptions options, ILogger<DiscordGatewayClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new ArgumentException($"The Discord bot token is empty: set {options.TokenSettingName}.", nameof(options));
        }

        if (options.ShardCount < 1 || options.ShardId < 0 || options.ShardId >= options.ShardCount)
        {
            throw new ArgumentException(
                $"Shard {options.ShardId} of {options.ShardCount} is not valid: DISCORD_SHARD_COUNT must be at least 1 and DISCORD_SHARD_ID below it.",
                nameof(options));
        }

        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = options.TimeProvider;
        _identifyQueue = options.IdentifyQueue ?? new IdentifyQueue(_time);
    }

    public int ShardId => _options.ShardId;

    public GatewayState State => (GatewayState)Volatile.Read(ref _state);

    /// <summary>The current session, or <see langword="null"/> before READY and after it was invalidated.</summary>
    public string? SessionId => _sessionId;

    /// <summary>The sequence number of the last event received, sent with heartbeats and Resume.</summary>
    public int? Sequence => Volatile.Read(ref _sequence) is var s and >= 0 ? s : null;

    /// <summary>The bot's own user, from READY.</summary>
    public DiscordUser? CurrentUser => _user;

    /// <summary>The time between the last heartbeat and its ACK.</summary>
    public TimeSpan? Latency => Interlocked.Read(ref _latencyTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>
    /// Every event, in order, across reconnects. Completes when <see cref="RunAsync"/> ends; with the
    /// <see cref="DiscordException"/> when it ended on a fatal close.
    /// </summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>Completes with the first READY; fails if <see cref="RunAsync"/> stops before it.</summary>
    public Task<ReadyEvent> WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _firstReady.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Connects and stays connected until <paramref name="cancellationToken"/> fires (then closes with 1000, ends the
    /// session and returns) or a fatal close code (then throws a non-transient <see cref="DiscordException"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync runs once per DiscordGatewayClient.");
        }

        var failures = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ConnectionEnd end;
                try
                {
                    end = await RunConnectionAsync(cancellationToken);
                }
                catch (DiscordException ex) when (ex.IsTransient)
                {
                    GatewayLog.ConnectFailed(_logger, ShardId, ex.Message);
                    end = new ConnectionEnd(_sessionId is not null, null, false, "a failed connection attempt");
                }

                SetState(GatewayState.Disconnected);
                failures = end.ReachedReady ? 0 : failures + 1;
                if (!end.Resume)
                {
                    ClearSession();
                }

                var delay = end.Delay ?? Backoff(failures);
                GatewayLog.Reconnecting(_logger, ShardId, delay.TotalMilliseconds, end.Reason);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
            }
        }
        catch (DiscordException ex)
        {
            GatewayLog.Fatal(_logger, ShardId, ex.Message);
            SetState(GatewayState.Stopped);
            _firstReady.TrySetException(ex);
            _dispatches.Writer.TryComplete(ex);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            GatewayLog.Stopped(_logger, ShardId);
            SetState(GatewayState.Stopped);
            _firstReady.TrySetCanceled(cancellationToken);
            _dispatches.Writer.TryComplete();
        }
    }

    private TimeSpan Backoff(int failures)
    {
        if (failures == 0)
        {
            // A working session dropped: come back soon, but not in lockstep with every other bot that dropped.
            return _options.ReconnectDelay * Random.Shared.NextDouble();
        }

        var delay = _options.ReconnectDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        if (delay > _options.MaxReconnectDelay)
        {
            delay = _options.MaxReconnectDelay;
        }

        return delay * (0.5 + (Random.Shared.NextDouble() * 0.5));
    }

    private void SetState(GatewayState state) => Volatile.Write(ref _state, (int)state);

    private void ClearSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        Volatile.Write(ref _sequence, -1);
    }
}
