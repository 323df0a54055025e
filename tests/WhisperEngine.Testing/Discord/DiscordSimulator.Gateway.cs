using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private readonly List<GatewayPeer> _peers = [];
    private readonly List<SimulatedSession> _sessions = [];
    private readonly List<GatewayFrameRecord> _frames = [];
    private int _sessionStartRemaining;
    private int? _failNextIdentify;
    private long _nextSnowflake = 300_000_000_000_000_000;

    /// <summary>Every gateway connection so far, in order of opening.</summary>
    public IReadOnlyList<SimulatedConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return _peers.Select(p => p.Snapshot()).ToArray();
            }
        }
    }

    /// <summary>Every frame the client sent on the gateway, in order of arrival.</summary>
    public IReadOnlyList<GatewayFrameRecord> Frames
    {
        get
        {
            lock (_lock)
            {
                return _frames.ToArray();
            }
        }
    }

    /// <summary>The Identify payloads received (op 2).</summary>
    public IReadOnlyList<GatewayFrameRecord> Identifies => Frames.Where(f => f.Op == 2).ToArray();

    /// <summary>The Resume payloads received (op 6).</summary>
    public IReadOnlyList<GatewayFrameRecord> Resumes => Frames.Where(f => f.Op == 6).ToArray();

    /// <summary>The heartbeats received (op 1).</summary>
    public IReadOnlyList<GatewayFrameRecord> Heartbeats => Frames.Where(f => f.Op == 1).ToArray();

    /// <summary><c>session_start_limit.remaining</c>: identifies left.</summary>
    public int SessionStartRemaining
    {
        get
        {
            lock (_lock)
            {
                return _sessionStartRemaining;
            }
        }
    }

    private async Task HandleGatewayAsync(HttpContext context, string path)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        GatewayPeer peer;
        lock (_lock)
        {
            peer = new GatewayPeer(_peers.Count + 1, context, socket, path, context.Request.QueryString.Value ?? "", DateTimeOffset.UtcNow);
            _peers.Add(peer);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        try
        {
            if (context.Request.Query["v"] != "10")
            {
                await peer.CloseAsync(4012, "Invalid API version", cancellationToken);
            }
            else if (context.Request.Query["encoding"] != "json")
            {
                await peer.CloseAsync(4002, "Decode error", cancellationToken);
            }
            else
            {
                var hello = new JsonObject { ["heartbeat_interval"] = (int)Options.HeartbeatInterval.TotalMilliseconds };
                await peer.SendAsync(Frame(10, hello), cancellationToken);
            }

            await ReceiveLoopAsync(peer, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped: by the client, by a fault, or by shutdown.
        }
        finally
        {
            lock (_lock)
            {
                peer.ClosedAt = DateTimeOffset.UtcNow;
                if (peer.Session is { } session && session.Peer == peer)
                {
                    session.Peer = null;
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(GatewayPeer peer, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await peer.Socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    lock (_lock)
                    {
                        peer.ClientCloseCode ??= (int?)peer.Socket.CloseStatus;
                    }

                    if (peer.Frozen)
                    {
                        // A hung server never answers; the client has to cut the connection itself.
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }

                    if (peer.Socket.State == WebSocketState.CloseReceived)
                    {
                        await peer.Socket.CloseOutputAsync(peer.Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "", cancellationToken);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (peer.ServerCloseCode is not null)
            {
                continue; // Closing: wait for the client's close frame.
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(message.ToArray());
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                await peer.CloseAsync(4002, "Decode error", cancellationToken);
                continue;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
            {
                await peer.CloseAsync(4002, "Decode error", cancellationToken);
                continue;
            }

            lock (_lock)
            {
                _frames.Add(new GatewayFrameRecord(peer.Number, op, root, DateTimeOffset.UtcNow));
            }

            await HandleFrameAsync(peer, op, root.TryGetProperty("d", out var d) ? d : default, cancellationToken);
        }
    }

    private async Task HandleFrameAsync(GatewayPeer peer, int op, JsonElement data, CancellationToken cancellationToken)
    {
        switch (op)
        {
            case 1:
                if (peer.Acking && !peer.Frozen)
                {
                    await peer.SendAsync(Frame(11, null), cancellationToken);
                }

                break;
            case 2:
                await IdentifyAsync(peer, data, cancellationToken);
                break;
            case 6:
                await ResumeAsync(peer, data, cancellationToken);
                break;
            case 3 or 4 or 8 or 31:
                if (peer.Session is null)
                {
                    await peer.CloseAsync(4003, "Not authenticated", cancellationToken);
                }

                break;
            default:
                await peer.CloseAsync(4001, "Unknown opcode", cancellationToken);
                break;
        }
    }

    private static byte[] Frame(int op, JsonNode? data) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["op"] = op, ["d"] = data, ["s"] = null, ["t"] = null }.ToJsonString());

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
