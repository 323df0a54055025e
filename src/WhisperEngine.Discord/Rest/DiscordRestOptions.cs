namespace WhisperEngine.Discord.Rest;

/// <summary>Settings of <see cref="DiscordRestClient"/>.</summary>
public sealed class DiscordRestOptions
{
    /// <summary>Discord's REST API, version 10.</summary>
    public const string DefaultBaseUrl = "https://discord.com/api/v10";

    /// <summary>The bot token (without the <c>Bot </c> prefix). A secret: never logged, never in an exception message.</summary>
    public required string Token { get; init; }

    /// <summary>The REST base URL (<c>DISCORD_API_BASE_URL</c>); a simulator can stand in for Discord here.</summary>
    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    /// <summary>The setting that holds <see cref="Token"/>, named in errors that ask the operator to fix it.</summary>
    public string TokenSettingName { get; init; } = "DISCORD_BOT_TOKEN";

    /// <summary>Retries of one request after a 5xx or a network failure, with exponential backoff.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first backoff delay after a 5xx or a network failure; doubles per retry.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many 429 answers one request waits out before it fails.</summary>
    public int MaxRateLimitRetries { get; init; } = 5;

    /// <summary>A 429 asking for a longer wait than this fails the request (transient) instead of stalling it.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Discord's global limit on requests per second of one bot.</summary>
    public int GlobalRequestsPerSecond { get; init; } = 50;

    /// <summary>Longest time for one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a <see cref="TypingScope"/> renews the indicator (Discord shows it for about 10 seconds).</summary>
    public TimeSpan TypingInterval { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The User-Agent, in the form Discord requires: <c>DiscordBot ($url, $version)</c>.</summary>
    public string UserAgent { get; init; } = "DiscordBot (https://github.com/whisperengine-ai/whisperengine-dotnet, 0.1.0)";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
