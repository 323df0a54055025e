using WhisperEngine.Core.Conversations;
using WhisperEngine.Discord.Bot;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.UnitTests.Discord;

public sealed class ChannelPrivacyTests
{
    private const string Guild = "500";
    private const string View = "1024";

    private readonly ChannelPrivacy _privacy = new();
    private readonly List<string> _fetched = [];

    [Fact]
    public async Task Resolve_DirectMessage_IsDirect() =>
        Assert.Equal(PrivacyLevel.DirectMessage, await ResolveAsync(new DiscordMessage { ChannelId = "9", GuildId = null }));

    [Fact]
    public async Task Resolve_TextChannelEveryoneCanSee_IsPublic()
    {
        _privacy.OnGuild(GuildWith(Text("10")));

        Assert.Equal(PrivacyLevel.PublicChannel, await ResolveAsync(In("10")));
    }

    [Fact]
    public async Task Resolve_EveryoneDeniedViewChannel_IsPrivate()
    {
        _privacy.OnGuild(GuildWith(Text("11", new PermissionOverwrite { Id = Guild, Type = 0, Deny = View })));

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("11")));
    }

    [Fact]
    public async Task Resolve_OtherRoleDeniedOrMemberAllowed_StaysPublic()
    {
        _privacy.OnGuild(GuildWith(Text("12",
            new PermissionOverwrite { Id = "777", Type = 0, Deny = View },
            new PermissionOverwrite { Id = Guild, Type = 1, Deny = View })));

        Assert.Equal(PrivacyLevel.PublicChannel, await ResolveAsync(In("12")));
    }

    [Fact]
    public async Task Resolve_EveryoneRoleWithoutViewChannel_PrivateUnlessTheChannelAllowsIt()
    {
        _privacy.OnGuild(GuildWith(
            [new DiscordRole { Id = Guild, Permissions = "0" }],
            Text("13"),
            Text("14", new PermissionOverwrite { Id = Guild, Type = 0, Allow = View })));

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("13")));
        Assert.Equal(PrivacyLevel.PublicChannel, await ResolveAsync(In("14")));
    }

    [Fact]
    public async Task Resolve_PrivateThread_IsPrivateEvenInAPublicChannel()
    {
        _privacy.OnGuild(GuildWith(Text("15"), new DiscordChannel { Id = "16", Type = DiscordChannel.PrivateThread, ParentId = "15" }));

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("16")));
    }

    [Fact]
    public async Task Resolve_PublicThread_FollowsItsChannel()
    {
        _privacy.OnGuild(GuildWith(
            Text("17"),
            Text("18", new PermissionOverwrite { Id = Guild, Type = 0, Deny = View }),
            new DiscordChannel { Id = "19", Type = DiscordChannel.PublicThread, ParentId = "17" },
            new DiscordChannel { Id = "20", Type = DiscordChannel.PublicThread, ParentId = "18" }));

        Assert.Equal(PrivacyLevel.PublicChannel, await ResolveAsync(In("19")));
        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("20")));
    }

    [Fact]
    public async Task Resolve_ChannelMadePrivateLater_FollowsTheUpdate()
    {
        _privacy.OnGuild(GuildWith(Text("21")));
        Assert.Equal(PrivacyLevel.PublicChannel, await ResolveAsync(In("21")));

        _privacy.OnChannel(Text("21", new PermissionOverwrite { Id = Guild, Type = 0, Deny = View }) with { GuildId = Guild });

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("21")));
    }

    [Fact]
    public async Task Resolve_UnknownChannel_FetchedOnceThenCached()
    {
        var fetched = new DiscordChannel { Id = "22", Type = 0, GuildId = Guild, PermissionOverwrites = [new PermissionOverwrite { Id = Guild, Deny = View }] };

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("22"), fetched));
        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("22"), fetched));
        Assert.Equal(["22"], _fetched);
    }

    [Fact]
    public async Task Resolve_ChannelCannotBeRead_CountsAsPrivate() =>
        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("23"), fetchable: null));

    [Fact]
    public async Task Resolve_UnreadableDenyBits_CountAsPrivate()
    {
        _privacy.OnGuild(GuildWith(Text("24", new PermissionOverwrite { Id = Guild, Type = 0, Deny = "not-a-number" })));

        Assert.Equal(PrivacyLevel.PrivateChannel, await ResolveAsync(In("24")));
    }

    private async Task<PrivacyLevel> ResolveAsync(DiscordMessage message, DiscordChannel? fetchable = null) =>
        await _privacy.ResolveAsync(message, (id, _) =>
        {
            _fetched.Add(id);
            return Task.FromResult(fetchable?.Id == id ? fetchable : null);
        }, CancellationToken.None);

    private static DiscordMessage In(string channel) => new() { ChannelId = channel, GuildId = Guild };

    private static DiscordChannel Text(string id, params PermissionOverwrite[] overwrites) => new() { Id = id, Type = 0, PermissionOverwrites = overwrites };

    private static GuildCreateEvent GuildWith(params DiscordChannel[] channels) =>
        GuildWith([new DiscordRole { Id = Guild, Permissions = "104324673" }], channels);

    private static GuildCreateEvent GuildWith(IReadOnlyList<DiscordRole> roles, params DiscordChannel[] channels) => new()
    {
        Id = Guild,
        Roles = roles,
        Channels = [.. channels.Where(c => !c.IsThread)],
        Threads = [.. channels.Where(c => c.IsThread)],
    };
}
