namespace WhisperEngine.Discord;

/// <summary>
/// Something went wrong talking to Discord. The message says what to fix when the operator can fix it
/// (a refused token, a missing intent, a shard setting). It never contains the bot token.
/// </summary>
public sealed class DiscordException : Exception
{
    public DiscordException(string message, bool isTransient, int? closeCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        CloseCode = closeCode;
        StatusCode = statusCode;
    }

    public DiscordException()
        : this("The Discord call failed.", isTransient: false)
    {
    }

    public DiscordException(string message)
        : this(message, isTransient: false)
    {
    }

    public DiscordException(string message, Exception innerException)
        : this(message, isTransient: false, innerException: innerException)
    {
    }

    /// <summary>
    /// True when trying again later may succeed (rate limits, Discord outages, dropped connections).
    /// False means a setting must change first: the gateway client stops instead of reconnecting.
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>The gateway close code that ended the session (4004, 4014, ...), when there was one.</summary>
    public int? CloseCode { get; }

    /// <summary>The HTTP status of the REST response (401, 403, 429, 502, ...), when there was one.</summary>
    public int? StatusCode { get; }
}
