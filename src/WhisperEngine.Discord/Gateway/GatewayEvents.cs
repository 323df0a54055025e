namespace WhisperEngine.Discord.Gateway;

/// <summary>Names of the dispatch events we use (<see cref="GatewayDispatch.Type"/>).</summary>
public static class GatewayEvents
{
    public const string Ready = "READY";
    public const string Resumed = "RESUMED";
    public const string GuildCreate = "GUILD_CREATE";
    public const string MessageCreate = "MESSAGE_CREATE";
    public const string GuildDelete = "GUILD_DELETE";
    public const string ChannelCreate = "CHANNEL_CREATE";
    public const string ChannelUpdate = "CHANNEL_UPDATE";
    public const string ChannelDelete = "CHANNEL_DELETE";
    public const string ThreadCreate = "THREAD_CREATE";
    public const string ThreadUpdate = "THREAD_UPDATE";
    public const string ThreadDelete = "THREAD_DELETE";
    public const string GuildRoleCreate = "GUILD_ROLE_CREATE";
    public const string GuildRoleUpdate = "GUILD_ROLE_UPDATE";
}
