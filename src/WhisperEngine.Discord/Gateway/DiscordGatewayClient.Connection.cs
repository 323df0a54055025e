using System.Net.WebSockets;
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

    /// <summary>The gateway URL with the version and encoding we speak.</summary>
    private static Uri GatewayUri(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("wss" or "ws"))
        {
            throw new DiscordException($"The gateway URL '{url}' from GET /gateway/bot is not a ws:// or wss:// URL.", isTransient: false);
        }

        return new UriBuilder(uri) { Query = "v=10&encoding=json" }.Uri;
    }

    /// <summary>
    /// How a broken socket shows: an aborted one (zombie, slow handshake, shutdown timeout) fails its pending receive
    /// with <see cref="OperationCanceledException"/>, a reset one with <see cref="WebSocketException"/>.
    /// </summary>
    private static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;
}
