using System.Globalization;
using System.Text.Json.Nodes;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    /// <summary>The live (not invalidated) session of <paramref name="shardId"/>, or null.</summary>
    public string? SessionId(int shardId = 0) => CurrentSession(shardId)?.Id;

    /// <summary>The last sequence number sent in the live session of <paramref name="shardId"/>.</summary>
    public int LastSequence(int shardId = 0) => CurrentSession(shardId)?.Sequence ?? 0;

    /// <summary>
    /// Dispatches a <c>MESSAGE_CREATE</c> to the shard that owns <paramref name="guildId"/> (shard 0 for a direct
    /// message) and returns the message id. If that shard is disconnected the event waits in its session and is
    /// replayed when the client resumes.
    /// </summary>
    public Task<string> SendMessageAsync(
        string channelId,
        string authorId,
        string content,
        string? guildId = null,
        bool mentionsBot = false,
        bool authorIsBot = false,
        string? authorName = null) =>
        SendMessageAsync(new SimulatedMessage
        {
            ChannelId = channelId,
            AuthorId = authorId,
            Content = mentionsBot ? $"<@{Options.BotUserId}> {content}" : content,
            GuildId = guildId,
            AuthorIsBot = authorIsBot,
            AuthorName = authorName,
            Mentions = mentionsBot ? [(Options.BotUserId, Options.BotUsername)] : [],
        });

    /// <summary>
    /// Dispatches a <c>MESSAGE_CREATE</c> with explicit mentions, reply reference and id to the shard that owns its
    /// guild (shard 0 for a direct message) and returns the message id.
    /// </summary>
    public async Task<string> SendMessageAsync(SimulatedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = message.Id ?? NextSnowflake();
        var data = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = message.ChannelId,
            ["author"] = Author(message.AuthorId, message.AuthorName, message.AuthorIsBot),
            ["content"] = message.Content,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["type"] = message.ReplyTo is null ? 0 : 19,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray([.. message.Mentions.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["username"] = m.Username })]),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
        };
        if (message.GuildId is not null)
        {
            data["guild_id"] = message.GuildId;
        }

        if (message.ReplyTo is { } reply)
        {
            data["message_reference"] = new JsonObject { ["message_id"] = reply.MessageId, ["channel_id"] = message.ChannelId, ["guild_id"] = message.GuildId };
            data["referenced_message"] = new JsonObject
            {
                ["id"] = reply.MessageId,
                ["channel_id"] = message.ChannelId,
                ["author"] = Author(reply.AuthorId, null, reply.AuthorId == Options.BotUserId),
                ["content"] = "",
                ["type"] = 0,
                ["mentions"] = new JsonArray(),
            };
        }

        await DispatchAsync(ShardFor(message.GuildId), "MESSAGE_CREATE", data);
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

    private static JsonObject Author(string id, string? name, bool bot)
    {
        var author = new JsonObject { ["id"] = id, ["username"] = name ?? "user" + id[^4..], ["global_name"] = null };
        if (bot)
        {
            author["bot"] = true;
        }

        return author;
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
}
