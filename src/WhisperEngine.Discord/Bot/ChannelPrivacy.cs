using System.Collections.Concurrent;
using System.Globalization;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

/// <summary>
/// Decides how private the place of a message is, from the channels, threads and roles the gateway reports
/// (<c>GUILD_CREATE</c>, <c>CHANNEL_*</c>, <c>THREAD_*</c>, <c>GUILD_ROLE_*</c>), asking REST for a channel it has
/// not seen (cached from then on):
/// <list type="bullet">
/// <item><description>no guild: a direct message;</description></item>
/// <item><description>a private thread (type 12): private;</description></item>
/// <item><description>a public or announcement thread: as private as the channel it is in;</description></item>
/// <item><description>a guild channel is private when @everyone cannot view it: its overwrite for the @everyone role
/// (the role with the guild's id) denies VIEW_CHANNEL, or, with no overwrite either way, the @everyone role lacks
/// VIEW_CHANNEL; public otherwise.</description></item>
/// </list>
/// When the channel cannot be learned at all, the place counts as private: a private channel's memories are only
/// recalled there and in direct messages, so a wrong guess leaks nothing, while a wrong "public" would.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ChannelPrivacy
{
    /// <summary>The VIEW_CHANNEL permission bit.</summary>
    public const ulong ViewChannel = 1UL << 10;

    private readonly ConcurrentDictionary<string, DiscordChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ulong> _everyone = new(StringComparer.Ordinal);

    /// <summary>Channels known.</summary>
    public int Count => _channels.Count;

    public void OnGuild(GuildCreateEvent guild)
    {
        foreach (var role in guild.Roles.Where(r => r.Id == guild.Id))
        {
            _everyone[guild.Id] = Bits(role.Permissions) ?? 0;
        }

        foreach (var channel in guild.Channels.Concat(guild.Threads))
        {
            OnChannel(channel with { GuildId = channel.GuildId ?? guild.Id });
        }
    }

    public void OnRole(GuildRoleEvent update)
    {
        if (update.Role.Id == update.GuildId && update.GuildId.Length > 0)
        {
            _everyone[update.GuildId] = Bits(update.Role.Permissions) ?? 0;
        }
    }

    public void OnChannel(DiscordChannel channel)
    {
        if (channel.Id.Length > 0)
        {
            _channels[channel.Id] = channel;
        }
    }

    public void OnChannelDeleted(string channelId) => _channels.TryRemove(channelId, out _);

    /// <summary>The privacy of the place of <paramref name="message"/>; <paramref name="fetch"/> reads a channel Discord did not report (null when it cannot).</summary>
    public async ValueTask<PrivacyLevel> ResolveAsync(DiscordMessage message, Func<string, CancellationToken, Task<DiscordChannel?>> fetch,
        CancellationToken cancellationToken)
    {
        if (message.IsDirect)
        {
            return PrivacyLevel.DirectMessage;
        }

        var channelId = message.ChannelId;
        // A thread's parent, and that parent's own: at most two steps up.
        for (var depth = 0; depth < 3; depth++)
        {
            var channel = await FindAsync(channelId, fetch, cancellationToken);
            if (channel is null)
            {
                return PrivacyLevel.PrivateChannel;
            }

            if (channel.Type is DiscordChannel.DirectMessage or DiscordChannel.GroupDirectMessage)
            {
                return PrivacyLevel.DirectMessage;
            }

            if (channel.Type == DiscordChannel.PrivateThread)
            {
                return PrivacyLevel.PrivateChannel;
            }

            if (!channel.IsThread)
            {
                return HiddenFromEveryone(channel, channel.GuildId ?? message.GuildId!) ? PrivacyLevel.PrivateChannel : PrivacyLevel.PublicChannel;
            }

            if (channel.ParentId is not { Length: > 0 } parent)
            {
                return PrivacyLevel.PrivateChannel;
            }

            channelId = parent;
        }

        return PrivacyLevel.PrivateChannel;
    }

    private async ValueTask<DiscordChannel?> FindAsync(string channelId, Func<string, CancellationToken, Task<DiscordChannel?>> fetch, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(channelId, out var known))
        {
            return known;
        }

        var fetched = await fetch(channelId, cancellationToken);
        if (fetched is not null)
        {
            OnChannel(fetched);
        }

        return fetched;
    }

    private bool HiddenFromEveryone(DiscordChannel channel, string guildId)
    {
        var overwrite = channel.PermissionOverwrites?.FirstOrDefault(o => o.Type == 0 && o.Id == guildId);
        if (overwrite is not null)
        {
            // Bits that cannot be read count as a denial: private is the safe side.
            if (Bits(overwrite.Deny) is not { } deny || (deny & ViewChannel) != 0)
            {
                return true;
            }

            if (Bits(overwrite.Allow) is { } allow && (allow & ViewChannel) != 0)
            {
                return false;
            }
        }

        // No word on VIEW_CHANNEL in the channel: the @everyone role decides (Discord gives it by default).
        return _everyone.TryGetValue(guildId, out var everyone) && (everyone & ViewChannel) == 0;
    }

    private static ulong? Bits(string? permissions) =>
        ulong.TryParse(permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : null;
}
