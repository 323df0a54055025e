namespace WhisperEngine.Discord;

/// <summary>Gateway intents: the event groups a session subscribes to. Privileged ones must be enabled in the Developer Portal.</summary>
[Flags]
public enum DiscordIntents
{
    None = 0,

    /// <summary>Guild create/update/delete, channels, roles.</summary>
    Guilds = 1 << 0,

    /// <summary>Message events in guild channels.</summary>
    GuildMessages = 1 << 9,

    /// <summary>Message events in direct messages.</summary>
    DirectMessages = 1 << 12,

    /// <summary>Privileged: the content of messages that do not mention the bot.</summary>
    MessageContent = 1 << 15,

    /// <summary>What a conversational bot needs: guilds, guild and direct messages, and their content.</summary>
    Default = Guilds | GuildMessages | DirectMessages | MessageContent,
}
