using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

public sealed partial class DiscordGatewayClient
{
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

    private TimeSpan InvalidSessionDelay()
    {
        var min = _options.InvalidSessionMinDelay;
        var max = _options.InvalidSessionMaxDelay < min ? min : _options.InvalidSessionMaxDelay;
        return min + ((max - min) * Random.Shared.NextDouble());
    }

    /// <summary>The payload's <c>d</c> as <typeparamref name="T"/>; a malformed one is a transient <see cref="DiscordException"/>.</summary>
    private static T? Parse<T>(GatewayPayload payload, JsonTypeInfo<T> type)
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
}
