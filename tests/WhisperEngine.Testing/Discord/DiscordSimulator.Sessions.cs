using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const int AllIntents = (1 << 26) - 1;
    private const int PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

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
                var created = new JsonObject
                {
                    ["id"] = guild,
                    ["name"] = "Guild " + guild[^4..],
                    ["unavailable"] = false,
                    ["member_count"] = 3,
                };
                AddGuildContents(created, guild);
                await SendDispatchLockedAsync(session, "GUILD_CREATE", created);
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
}
