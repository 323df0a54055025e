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
