namespace WhisperEngine.Discord.Model;

/// <summary>A channel or thread (<c>CHANNEL_*</c>, <c>THREAD_*</c>, <c>GUILD_CREATE</c> and <c>GET /channels/{id}</c>), with the fields privacy needs.</summary>
public sealed record DiscordChannel
{
    /// <summary>Private thread: only invited members and moderators see it.</summary>
    public const int PrivateThread = 12;

    /// <summary>Public thread in a text channel.</summary>
    public const int PublicThread = 11;

    /// <summary>Thread in an announcement channel.</summary>
    public const int AnnouncementThread = 10;

    /// <summary>A direct message.</summary>
    public const int DirectMessage = 1;

    /// <summary>A group direct message.</summary>
    public const int GroupDirectMessage = 3;

    public string Id { get; init; } = "";

    /// <summary>0 text, 1 DM, 2 voice, 3 group DM, 4 category, 5 announcement, 10-12 threads, 13 stage, 15 forum, 16 media.</summary>
    public int Type { get; init; }

    /// <summary>The guild; absent in <c>GUILD_CREATE</c> (it is that guild) and for DMs.</summary>
    public string? GuildId { get; init; }

    /// <summary>For a thread, the channel it is in; for a channel, its category.</summary>
    public string? ParentId { get; init; }

    public string? Name { get; init; }

    /// <summary>Per-role and per-member permission changes of this channel (not of threads: they follow their parent).</summary>
    public IReadOnlyList<PermissionOverwrite>? PermissionOverwrites { get; init; }

    /// <summary>True for the three thread types.</summary>
    public bool IsThread => Type is AnnouncementThread or PublicThread or PrivateThread;
}
