using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const int AllIntents = (1 << 26) - 1;
    private const int PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

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

    /// <summary>The live (not invalidated) session of <paramref name="shardId"/>, or null.</summary>
    public string? SessionId(int shardId = 0) => CurrentSession(shardId)?.Id;

    /// <summary>The last sequence number sent in the live session of <paramref name="shardId"/>.</summary>
    public int LastSequence(int shardId = 0) => CurrentSession(shardId)?.Sequence ?? 0;

    /// <summary>
    /// Dispatches a <c>MESSAGE_CREATE</c> to the shard that owns <paramref name="guildId"/> (shard 0 for a direct
    /// message) and returns the message id. If that shard is disconnected the event waits in its session and is
    /// replayed when the client resumes.
    /// </summary>
    public async Task<string> SendMessageAsync(
        string channelId,
        string authorId,
        string content,
        string? guildId = null,
        bool mentionsBot = false,
        bool authorIsBot = false,
        string? authorName = null)
    {
        var id = NextSnowflake();
        var author = new JsonObject { ["id"] = authorId, ["username"] = authorName ?? "user" + authorId[^4..], ["global_name"] = null };
        if (authorIsBot)
        {
            author["bot"] = true;
        }

        var mentions = new JsonArray();
        if (mentionsBot)
        {
            mentions.Add(new JsonObject { ["id"] = Options.BotUserId, ["username"] = Options.BotUsername, ["bot"] = true });
        }

        var data = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channelId,
            ["author"] = author,
            ["content"] = mentionsBot ? $"<@{Options.BotUserId}> {content}" : content,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["type"] = 0,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = mentions,
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
        };
        if (guildId is not null)
        {
            data["guild_id"] = guildId;
        }

        await DispatchAsync(ShardFor(guildId), "MESSAGE_CREATE", data);
        return id;
    }

    /// <summary>Dispatches any event (op 0) in the live session of <paramref name="shardId"/>.</summary>
    public async Task DispatchAsync(int shardId, string type, JsonObject data)
    {
        var session = CurrentSession(shardId)
            ?? throw new InvalidOperationException($"Shard {shardId} has no session yet; wait for the client's READY first.");
        await session.Gate.WaitAsync(_stopping.Token);
        try
        {
            await SendDispatchLockedAsync(session, type, data);
        }
        finally
        {
            session.Gate.Release();
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

    private async Task IdentifyAsync(GatewayPeer peer, JsonElement data, CancellationToken cancellationToken)
    {
        if (peer.Session is not null)
        {
            await peer.CloseAsync(4005, "Already authenticated", cancellationToken);
            return;
        }

        if (Text(data, "token") != Options.Token)
        {
            await peer.CloseAsync(4004, "Authentication failed", cancellationToken);
            return;
        }

        int? injected;
        lock (_lock)
        {
            injected = _failNextIdentify;
            _failNextIdentify = null;
        }

        if (injected is { } code)
        {
            await peer.CloseAsync(code, "Injected failure", cancellationToken);
            return;
        }

        var intents = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("intents", out var i) && i.TryGetInt32(out var value) ? value : -1;
        if (intents < 0 || (intents & ~AllIntents) != 0)
        {
            await peer.CloseAsync(4013, "Invalid intent(s)", cancellationToken);
            return;
        }

        if (!Options.AllowPrivilegedIntents && (intents & PrivilegedIntents) != 0)
        {
            await peer.CloseAsync(4014, "Disallowed intent(s)", cancellationToken);
            return;
        }

        var (shardId, shardCount) = (0, 1);
        if (data.TryGetProperty("shard", out var shard) && shard.ValueKind == JsonValueKind.Array && shard.GetArrayLength() == 2)
        {
            (shardId, shardCount) = (shard[0].GetInt32(), shard[1].GetInt32());
        }

        if (shardCount < 1 || shardId < 0 || shardId >= shardCount)
        {
            await peer.CloseAsync(4010, "Invalid shard", cancellationToken);
            return;
        }

        if (shardCount < Options.RequiredShardCount)
        {
            await peer.CloseAsync(4011, "Sharding required", cancellationToken);
            return;
        }

        var session = new SimulatedSession(Guid.NewGuid().ToString("N"), shardId, shardCount);
        lock (_lock)
        {
            _sessionStartRemaining--;
            foreach (var old in _sessions.Where(s => s.ShardId == shardId))
            {
                old.Invalidated = true;
            }

            _sessions.Add(session);
            session.Peer = peer;
            peer.Session = session;
        }

        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject { ["id"] = Options.BotUserId, ["username"] = Options.BotUsername, ["bot"] = true, ["global_name"] = null },
            ["guilds"] = new JsonArray(Options.Guilds.Select(g => (JsonNode)new JsonObject { ["id"] = g, ["unavailable"] = true }).ToArray()),
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeGatewayUrl.AbsoluteUri.TrimEnd('/'),
            ["shard"] = new JsonArray(shardId, shardCount),
            ["application"] = new JsonObject { ["id"] = Options.ApplicationId, ["flags"] = 0 },
        };

        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            await SendDispatchLockedAsync(session, "READY", ready);
            foreach (var guild in Options.Guilds.Where(g => ShardOf(g, shardCount) == shardId))
            {
                await SendDispatchLockedAsync(session, "GUILD_CREATE", new JsonObject
                {
                    ["id"] = guild,
                    ["name"] = "Guild " + guild[^4..],
                    ["unavailable"] = false,
                    ["member_count"] = 3,
                });
            }
        }
        finally
        {
            session.Gate.Release();
        }
    }

    private async Task ResumeAsync(GatewayPeer peer, JsonElement data, CancellationToken cancellationToken)
    {
        if (peer.Session is not null)
        {
            await peer.CloseAsync(4005, "Already authenticated", cancellationToken);
            return;
        }

        if (Text(data, "token") != Options.Token)
        {
            await peer.CloseAsync(4004, "Authentication failed", cancellationToken);
            return;
        }

        var sessionId = Text(data, "session_id");
        var seq = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("seq", out var s) && s.TryGetInt32(out var n) ? n : 0;
        SimulatedSession? session;
        lock (_lock)
        {
            session = _sessions.FirstOrDefault(x => x.Id == sessionId && !x.Invalidated);
        }

        if (session is null)
        {
            await peer.SendAsync(Frame(9, false), cancellationToken);
            return;
        }

        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            if (seq > session.Sequence)
            {
                await peer.CloseAsync(4007, "Invalid seq", cancellationToken);
                return;
            }

            GatewayPeer? previous;
            lock (_lock)
            {
                previous = session.Peer;
                session.Peer = peer;
                peer.Session = session;
            }

            if (previous is not null && previous != peer)
            {
                previous.Drop();
            }

            foreach (var (sequence, frame) in session.Events.Where(e => e.Sequence > seq).ToArray())
            {
                await peer.SendAsync(frame, cancellationToken);
            }

            await SendDispatchLockedAsync(session, "RESUMED", new JsonObject());
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Numbers, records and sends one event; the caller holds the session's gate.</summary>
    private async Task SendDispatchLockedAsync(SimulatedSession session, string type, JsonObject data)
    {
        GatewayPeer? peer;
        byte[] frame;
        lock (_lock)
        {
            var sequence = ++session.Sequence;
            frame = Encoding.UTF8.GetBytes(new JsonObject { ["op"] = 0, ["d"] = data, ["s"] = sequence, ["t"] = type }.ToJsonString());
            session.Events.Add((sequence, frame));
            peer = session.Peer;
        }

        if (peer is not null)
        {
            await peer.SendAsync(frame, _stopping.Token);
        }
    }

    private SimulatedSession? CurrentSession(int shardId)
    {
        lock (_lock)
        {
            return _sessions.LastOrDefault(s => s.ShardId == shardId && !s.Invalidated);
        }
    }

    private int ShardFor(string? guildId)
    {
        if (guildId is null)
        {
            return 0;
        }

        lock (_lock)
        {
            var count = _sessions.LastOrDefault(s => !s.Invalidated)?.ShardCount ?? 1;
            return ShardOf(guildId, count);
        }
    }

    private static int ShardOf(string guildId, int shardCount) =>
        (int)((ulong.Parse(guildId, CultureInfo.InvariantCulture) >> 22) % (ulong)shardCount);

    private string NextSnowflake() => Interlocked.Increment(ref _nextSnowflake).ToString(CultureInfo.InvariantCulture);

    private static byte[] Frame(int op, JsonNode? data) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["op"] = op, ["d"] = data, ["s"] = null, ["t"] = null }.ToJsonString());

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
