using WhisperEngine.Core.Bots;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>A configured bot with its own credentials (secrets: never shown or logged).</summary>
public sealed record BotSettings(BotDefinition Definition, Uri? ApiUrl, string? ApiKey, string? DiscordToken, string Source);
