using System.Text.Json.Nodes;

namespace WhisperEngine.Testing.Discord;

public sealed partial class DiscordSimulator
{
    private const string ViewChannel = "1024";
    private readonly Dictionary<string, SimulatedChannel> _channels = new(StringComparer.Ordinal);
    private bool _channelsLoaded;

    /// <summary>
    /// Replaces a channel's settings (made private, say) and dispatches <c>CHANNEL_UPDATE</c> (<c>THREAD_UPDATE</c> for
    /// a thread) to the shard of its guild, as Discord does when a moderator changes it.
    /// </summary>
    public async Task UpdateChannelAsync(SimulatedChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        JsonObject json;
        lock (_lock)
        {
            LoadChannelsLocked();
            _channels[channel.Id] = channel;
            json = ChannelJson(channel, withGuildId: true);
        }

        await DispatchAsync(ShardFor(GuildOf(channel)), channel.IsThread ? "THREAD_UPDATE" : "CHANNEL_UPDATE", json);
    }

    /// <summary>How many times the bot asked REST for <paramref name="channelId"/>.</summary>
    public int ChannelFetches(string channelId) => Requests.Count(r => r.Method == "GET" && r.Path == $"/channels/{channelId}");

    /// <summary>The channel, thread and role fields of the <c>GUILD_CREATE</c> of <paramref name="guildId"/>.</summary>
    private void AddGuildContents(JsonObject guild, string guildId)
    {
        lock (_lock)
        {
            LoadChannelsLocked();
            var listed = _channels.Values.Where(c => GuildOf(c) == guildId && c.ListedInGuildCreate).ToList();
            guild["channels"] = new JsonArray([.. listed.Where(c => !c.IsThread).Select(c => (JsonNode)ChannelJson(c, withGuildId: false))]);
            guild["threads"] = new JsonArray([.. listed.Where(c => c.IsThread).Select(c => (JsonNode)ChannelJson(c, withGuildId: true))]);
            guild["roles"] = new JsonArray(new JsonObject { ["id"] = guildId, ["name"] = "@everyone", ["permissions"] = Options.EveryonePermissions });
        }
    }

    private RestAnswer GetChannel(string channelId)
    {
        lock (_lock)
        {
            LoadChannelsLocked();
            return _channels.TryGetValue(channelId, out var channel)
                ? RestAnswer.Ok(ChannelJson(channel, withGuildId: true))
                : RestAnswer.Error(404, "Unknown Channel", 10003);
        }
    }

    private void LoadChannelsLocked()
    {
        if (_channelsLoaded)
        {
            return;
        }

        foreach (var channel in Options.Channels)
        {
            _channels[channel.Id] = channel;
        }

        _channelsLoaded = true;
    }

    private string GuildOf(SimulatedChannel channel) => channel.GuildId ?? Options.Guilds[0];

    private JsonObject ChannelJson(SimulatedChannel channel, bool withGuildId)
    {
        var json = new JsonObject
        {
            ["id"] = channel.Id,
            ["type"] = channel.Type,
            ["name"] = "channel-" + channel.Id[^Math.Min(4, channel.Id.Length)..],
        };
        if (withGuildId)
        {
            json["guild_id"] = GuildOf(channel);
        }

        if (channel.ParentId is not null)
        {
            json["parent_id"] = channel.ParentId;
        }

        if (!channel.IsThread)
        {
            json["permission_overwrites"] = channel.EveryoneCanView
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["id"] = GuildOf(channel), ["type"] = 0, ["allow"] = "0", ["deny"] = ViewChannel });
        }

        return json;
    }
}
