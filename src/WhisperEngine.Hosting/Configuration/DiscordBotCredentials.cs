using WhisperEngine.Core.Bots;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>A bot to connect to Discord, with its token (a secret: never shown or logged).</summary>
/// <param name="Bot">The bot.</param>
/// <param name="Token">Its Discord bot token.</param>
/// <param name="TokenSetting">The setting the token came from, named in errors (<c>DISCORD_BOT_TOKEN</c>, <c>bots.0.discord_token</c>).</param>
public sealed record DiscordBotCredentials(BotDefinition Bot, string Token, string TokenSetting);
