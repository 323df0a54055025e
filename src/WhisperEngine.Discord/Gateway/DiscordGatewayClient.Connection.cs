using System.Net.WebSockets;
using System.Text.Json;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

public sealed partial class DiscordGatewayClient
{
    /// <summary>One connection from open to close; says how the next one should start, or throws on a fatal close.</summary>
    private async Task<ConnectionEnd> RunConnectionAsync(CancellationToken cancellationToken)
    {
        var resuming = _sessionId is not null && _resumeUrl is not null;
        string url;
        var limit = new SessionStartLimit();
        if (resuming)
        {
            url = _resumeUrl!;
        }
        else
        {
            GatewayBotInfo info;
            try
            {
                info = await _options.GatewayInfoProvider(cancellationToken);
            }
            catch (Exception ex) when (ex is not (DiscordException or OperationCanceledException))
            {
                throw new DiscordException($"Cannot get the gateway URL: {ex.Message}", isTransient: true, innerException: ex);
            }

            _recommendedShards = info.Shards;
            _gatewayUrl = info.Url;
            url = info.Url;
            limit = info.SessionStartLimit;
            await WaitForSessionStartAsync(limit, cancellationToken);
        }

        var uri = GatewayUri(url);
        SetState(GatewayState.Connecting);
        GatewayLog.Connecting(_logger, ShardId, uri.Host, resuming ? "resume" : "identify");
        await using var connection = await GatewayConnection.ConnectAsync(uri, _options.ConnectTimeout, _time, cancellationToken);
        var context = new ConnectionContext(connection, resuming);
        using var stopHeartbeats = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var handshakeTimer = _time.CreateTimer(
            _ =>
            {
                if (!context.ReachedReady)
                {
                    context.HandshakeTimedOut = true;
                    connection.Abort();
                }
            },
            null, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);

        Task? heartbeats = null;
        var shutdown = cancellationToken.Register(() => context.BeginShutdown(_options.CloseTimeout, _time));
        try
        {
            // Receives are never cancelled by the token: cancelling one would abort the socket before the clean close.
            var hello = await connection.ReceiveAsync(CancellationToken.None);
            if (hello is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await ClosedAsync(context);
            }

            if (hello.Op != (int)GatewayOpCode.Hello)
            {
                await connection.CloseAsync(GatewayCloseCodes.ClientReconnect, "expected Hello", _options.CloseTimeout);
                return new ConnectionEnd(resuming, null, false, $"op {hello.Op} instead of Hello");
            }

            var interval = TimeSpan.FromMilliseconds(Parse(hello, DiscordJsonContext.Default.HelloEvent)?.HeartbeatInterval ?? 0);
            if (interval <= TimeSpan.Zero)
            {
                throw new DiscordException("The gateway's Hello had no heartbeat interval.", isTransient: true);
            }

            heartbeats = HeartbeatLoopAsync(context, interval, stopHeartbeats.Token);
            if (resuming)
            {
                SetState(GatewayState.Resuming);
                await SendResumeAsync(connection, cancellationToken);
            }
            else
            {
                SetState(GatewayState.Identifying);

                // Waiting for the slot can take long with many shards; it is not a slow handshake.
                handshakeTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                await WaitForIdentifySlotAsync(limit, cancellationToken);
                await SendIdentifyAsync(connection, cancellationToken);
                handshakeTimer.Change(_options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
            }

            return await ReceiveLoopAsync(context, cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsConnectionFailure(ex))
        {
            throw new OperationCanceledException("The gateway client is stopping.", ex, cancellationToken);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            return Broken(context, ex.Message);
        }
        finally
        {
            await shutdown.DisposeAsync();
            await stopHeartbeats.CancelAsync();
            if (heartbeats is not null)
            {
                await heartbeats;
            }

            await context.EndShutdownAsync();
        }
    }

    private async Task<ConnectionEnd> ReceiveLoopAsync(ConnectionContext context, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        while (true)
        {
            var payload = await connection.ReceiveAsync(CancellationToken.None);
            if (payload is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await ClosedAsync(context);
            }

            switch ((GatewayOpCode)payload.Op)
            {
                case GatewayOpCode.Dispatch:
                    OnDispatch(context, payload);
                    break;

                case GatewayOpCode.Heartbeat:
                    await SendHeartbeatAsync(context);
                    break;

                case GatewayOpCode.HeartbeatAck:
                    var sent = context.Ack();
                    var latency = _time.GetElapsedTime(sent);
                    Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
                    GatewayLog.HeartbeatAck(_logger, ShardId, latency.TotalMilliseconds);
                    break;

                case GatewayOpCode.Reconnect:
                    GatewayLog.ReconnectRequested(_logger, ShardId);
                    await connection.CloseAsync(GatewayCloseCodes.ClientReconnect, "reconnect requested", _options.CloseTimeout);
                    return new ConnectionEnd(_sessionId is not null, TimeSpan.Zero, context.ReachedReady, "op 7 Reconnect");

                case GatewayOpCode.InvalidSession:
                    var resumable = payload.D.ValueKind == JsonValueKind.True && _sessionId is not null;
                    GatewayLog.InvalidSession(_logger, ShardId, resumable);
                    await connection.CloseAsync(GatewayCloseCodes.ClientReconnect, "invalid session", _options.CloseTimeout);
                    return resumable
                        ? new ConnectionEnd(true, TimeSpan.Zero, context.ReachedReady, "a resumable invalid session")
                        : new ConnectionEnd(false, InvalidSessionDelay(), context.ReachedReady, "an invalid session");

                case GatewayOpCode.Hello:
                    break;

                default:
                    GatewayLog.UnknownOpcode(_logger, ShardId, payload.Op);
                    break;
            }
        }
    }

    private void OnDispatch(ConnectionContext context, GatewayPayload payload)
    {
        var type = payload.T ?? "";
        if (payload.S is { } sequence)
        {
            Volatile.Write(ref _sequence, sequence);
        }

        ReadyEvent? ready = null;
        DiscordMessage? message = null;
        GuildCreateEvent? guild = null;
        try
        {
            switch (type)
            {
                case GatewayEvents.Ready:
                    ready = Parse(payload, DiscordJsonContext.Default.ReadyEvent);
                    if (ready is not { SessionId.Length: > 0 })
                    {
                        throw new DiscordException("The gateway sent a READY without a session id.", isTransient: true);
                    }

                    _sessionId = ready.SessionId;
                    _resumeUrl = string.IsNullOrEmpty(ready.ResumeGatewayUrl) ? _gatewayUrl : ready.ResumeGatewayUrl;
                    _user = ready.User;
                    context.ReachedReady = true;
                    SetState(GatewayState.Ready);
                    GatewayLog.Ready(_logger, ShardId, ready.User.Username, ready.User.Id, ready.Guilds.Count);
                    _firstReady.TrySetResult(ready);
                    break;
                case GatewayEvents.Resumed:
                    context.ReachedReady = true;
                    SetState(GatewayState.Ready);
                    GatewayLog.Resumed(_logger, ShardId, context.Replayed);
                    break;
                case GatewayEvents.MessageCreate:
                    message = Parse(payload, DiscordJsonContext.Default.DiscordMessage);
                    break;
                case GatewayEvents.GuildCreate:
                    guild = Parse(payload, DiscordJsonContext.Default.GuildCreateEvent);
                    break;
            }
        }
        catch (DiscordException ex) when (ex.InnerException is JsonException && type != GatewayEvents.Ready)
        {
            GatewayLog.MalformedEvent(_logger, ShardId, type, ex);
        }

        if (context.Resuming && !context.ReachedReady)
        {
            context.Replayed++;
        }

        GatewayLog.Dispatch(_logger, ShardId, type, payload.S ?? 0);
        _dispatches.Writer.TryWrite(new GatewayDispatch(type, payload.S ?? 0, payload.D)
        {
            ShardId = ShardId,
            Message = message,
            Ready = ready,
            Guild = guild,
        });
    }

    /// <summary>The server closed the connection: resume, identify anew, or stop, as its close code says.</summary>
    private async Task<ConnectionEnd> ClosedAsync(ConnectionContext context)
    {
        var code = context.Connection.CloseCode;
        await context.Connection.CloseAsync(GatewayCloseCodes.ClientReconnect, "closing", _options.CloseTimeout);
        if (context.Connection.IsZombie)
        {
            return new ConnectionEnd(_sessionId is not null, TimeSpan.Zero, context.ReachedReady, "a zombie connection");
        }

        switch (GatewayCloseCodes.Classify(code))
        {
            case CloseAction.Fatal:
                throw new DiscordException(GatewayCloseCodes.FatalMessage(code!.Value, _options, _recommendedShards), isTransient: false, closeCode: code);
            case CloseAction.Reidentify:
                GatewayLog.Closed(_logger, ShardId, code, GatewayCloseCodes.Name(code), "a new session");
                return new ConnectionEnd(false, null, context.ReachedReady, $"close {code}");
            default:
                var resume = _sessionId is not null;
                GatewayLog.Closed(_logger, ShardId, code, GatewayCloseCodes.Name(code), resume ? "resume" : "identify");
                return new ConnectionEnd(resume, null, context.ReachedReady, $"close {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "without a code"}");
        }
    }

    /// <summary>The connection broke without a close frame: dropped, cut as a zombie, or cut for a slow handshake.</summary>
    private ConnectionEnd Broken(ConnectionContext context, string reason)
    {
        var resume = _sessionId is not null;
        if (context.Connection.IsZombie)
        {
            return new ConnectionEnd(resume, TimeSpan.Zero, context.ReachedReady, "a zombie connection");
        }

        if (context.HandshakeTimedOut)
        {
            return new ConnectionEnd(resume, null, false, $"no Hello, READY or RESUMED within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }

        GatewayLog.Closed(_logger, ShardId, 1006, GatewayCloseCodes.Name(1006), resume ? "resume" : "identify");
        return new ConnectionEnd(resume, null, context.ReachedReady, "a dropped connection: " + reason);
    }

    /// <summary>When the day's session starts are used up, identifying would fail: wait for the reset instead.</summary>
    private async Task WaitForSessionStartAsync(SessionStartLimit limit, CancellationToken cancellationToken)
    {
        if (limit.Remaining <= 0 && limit.ResetAfter > 0)
        {
            var reset = TimeSpan.FromMilliseconds(limit.ResetAfter);
            GatewayLog.SessionStartLimitExhausted(_logger, ShardId, limit.Total, reset.TotalMilliseconds);
            await Task.Delay(reset, _time, cancellationToken);
        }
    }

    /// <summary>Takes this shard's identify slot (heartbeats keep the connection alive meanwhile).</summary>
    private async Task WaitForIdentifySlotAsync(SessionStartLimit limit, CancellationToken cancellationToken)
    {
        var waited = await _identifyQueue.WaitTurnAsync(ShardId, limit.MaxConcurrency, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            GatewayLog.IdentifyWaited(_logger, ShardId, waited.TotalMilliseconds, limit.MaxConcurrency);
        }
    }

    private Task SendIdentifyAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var identify = new GatewayCommand<IdentifyData>((int)GatewayOpCode.Identify, new IdentifyData(
            _options.Token,
            new IdentifyProperties(OperatingSystemName(), "WhisperEngine", "WhisperEngine"),
            (int)_options.Intents,
            [_options.ShardId, _options.ShardCount],
            _options.LargeThreshold));
        return connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(identify, DiscordJsonContext.Default.GatewayCommandIdentifyData), heartbeat: false, cancellationToken);
    }

    private Task SendResumeAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var resume = new GatewayCommand<ResumeData>((int)GatewayOpCode.Resume, new ResumeData(_options.Token, _sessionId!, Sequence));
        return connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(resume, DiscordJsonContext.Default.GatewayCommandResumeData), heartbeat: false, cancellationToken);
    }

    private TimeSpan InvalidSessionDelay()
    {
        var min = _options.InvalidSessionMinDelay;
        var max = _options.InvalidSessionMaxDelay < min ? min : _options.InvalidSessionMaxDelay;
        return min + ((max - min) * Random.Shared.NextDouble());
    }

    /// <summary>The gateway URL with the version and encoding we speak.</summary>
    private static Uri GatewayUri(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("wss" or "ws"))
        {
            throw new DiscordException($"The gateway URL '{url}' from GET /gateway/bot is not a ws:// or wss:// URL.", isTransient: false);
        }

        return new UriBuilder(uri) { Query = "v=10&encoding=json" }.Uri;
    }

    /// <summary>The payload's <c>d</c> as <typeparamref name="T"/>; a malformed one is a transient <see cref="DiscordException"/>.</summary>
    private static T? Parse<T>(GatewayPayload payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (payload.D.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        try
        {
            return payload.D.Deserialize(type);
        }
        catch (JsonException ex)
        {
            throw new DiscordException($"The gateway sent a malformed {payload.T ?? "op " + payload.Op} payload.", isTransient: true, innerException: ex);
        }
    }

    /// <summary>
    /// How a broken socket shows: an aborted one (zombie, slow handshake, shutdown timeout) fails its pending receive
    /// with <see cref="OperationCanceledException"/>, a reset one with <see cref="WebSocketException"/>.
    /// </summary>
    private static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "unknown";
}
