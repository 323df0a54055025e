namespace WhisperEngine.Discord.Gateway;

/// <summary>Names of the dispatch events we use (<see cref="GatewayDispatch.Type"/>).</summary>
public static class GatewayEvents
{
    public const string Ready = "READY";
    public const string Resumed = "RESUMED";
    public const string GuildCreate = "GUILD_CREATE";
    public const string MessageCreate = "MESSAGE_CREATE";
}
