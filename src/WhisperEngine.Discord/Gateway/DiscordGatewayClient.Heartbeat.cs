using System.Net.WebSockets;
using System.Text.Json;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

public sealed partial class DiscordGatewayClient
{
    /// <summary>
    /// Beats every <paramref name="interval"/>, the first after a random fraction of it so that shards reconnecting
    /// together do not beat together. A beat whose predecessor was never acknowledged means the connection is dead
    /// though still open (a zombie): close it with a non-1000 code, which keeps the session, and resume.
    /// </summary>
    private async Task HeartbeatLoopAsync(ConnectionContext context, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval * Random.Shared.NextDouble(), _time, cancellationToken);
            while (true)
            {
                if (!context.Acked)
                {
                    context.Connection.MarkZombie();
                    GatewayLog.Zombie(_logger, ShardId, interval.TotalMilliseconds);
                    await context.Connection.SendCloseAsync(GatewayCloseCodes.ClientReconnect, "no heartbeat ACK", _options.CloseTimeout);

                    // The receive loop ends when the server answers the close; if it is truly gone, cut the socket.
                    await Task.Delay(_options.CloseTimeout, _time, cancellationToken);
                    context.Connection.Abort();
                    return;
                }

                await SendHeartbeatAsync(context);
                await Task.Delay(interval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A beat could not be sent: the socket is broken. Cut it so the receive loop stops waiting.
            context.Connection.Abort();
        }
    }

    /// <summary>Sends a heartbeat. Not cancellable: cancelling a WebSocket send aborts the socket, and a beat is short.</summary>
    private Task SendHeartbeatAsync(ConnectionContext context)
    {
        var beat = new GatewayCommand<int?>((int)GatewayOpCode.Heartbeat, Sequence);
        context.BeatSent(_time.GetTimestamp());
        return context.Connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(beat, DiscordJsonContext.Default.GatewayCommandNullableInt32), heartbeat: true, CancellationToken.None);
    }
}
