namespace WhisperEngine.Discord.Gateway;

/// <summary>Discord's gateway close codes: what each asks of the client, and what to tell the operator.</summary>
internal static class GatewayCloseCodes
{
    public const int UnknownError = 4000;
    public const int UnknownOpcode = 4001;
    public const int DecodeError = 4002;
    public const int NotAuthenticated = 4003;
    public const int AuthenticationFailed = 4004;
    public const int AlreadyAuthenticated = 4005;
    public const int InvalidSeq = 4007;
    public const int RateLimited = 4008;
    public const int SessionTimedOut = 4009;
    public const int InvalidShard = 4010;
    public const int ShardingRequired = 4011;
    public const int InvalidApiVersion = 4012;
    public const int InvalidIntents = 4013;
    public const int DisallowedIntents = 4014;

    /// <summary>
    /// The code we close with to reconnect and keep the session: anything but 1000 and 1001, which end it.
    /// </summary>
    public const int ClientReconnect = 4000;

    public static CloseAction Classify(int? code) => code switch
    {
        AuthenticationFailed or InvalidShard or ShardingRequired or InvalidApiVersion or InvalidIntents or DisallowedIntents => CloseAction.Fatal,

        // The session is gone (or never was): resuming would only earn an Invalid Session.
        UnknownOpcode or NotAuthenticated or InvalidSeq or SessionTimedOut => CloseAction.Reidentify,

        // 4000, 4002, 4005, 4008, 1000/1001 from the server, 1006 (dropped), anything new: try to resume; an
        // Invalid Session answer falls back to Identify.
        _ => CloseAction.Resume,
    };

    public static string Name(int? code) => code switch
    {
        null => "no close frame",
        1000 => "normal closure",
        1001 => "going away",
        1006 => "connection dropped",
        UnknownError => "unknown error",
        UnknownOpcode => "unknown opcode",
        DecodeError => "decode error",
        NotAuthenticated => "not authenticated",
        AuthenticationFailed => "authentication failed",
        AlreadyAuthenticated => "already authenticated",
        InvalidSeq => "invalid seq",
        RateLimited => "rate limited",
        SessionTimedOut => "session timed out",
        InvalidShard => "invalid shard",
        ShardingRequired => "sharding required",
        InvalidApiVersion => "invalid API version",
        InvalidIntents => "invalid intents",
        DisallowedIntents => "disallowed intents",
        _ => "unlisted code",
    };

    /// <summary>What went wrong and what to change, for a fatal close. Never contains the token.</summary>
    public static string FatalMessage(int code, DiscordGatewayOptions options, int? recommendedShards)
    {
        var what = $"gateway close {code} {Name(code)}";
        return code switch
        {
            AuthenticationFailed =>
                $"Discord rejected the bot token ({what}): check {options.TokenSettingName}; copy the token again from the Developer Portal (your application, Bot, Reset Token).",
            DisallowedIntents =>
                $"Discord refused a privileged intent ({what}): enable the Message Content intent in the Developer Portal (your application, Bot, Privileged Gateway Intents), then restart.",
            InvalidIntents =>
                $"Discord rejected the intents value {(int)options.Intents} ({what}): the configured intents are not a valid combination.",
            InvalidShard =>
                $"Discord refused shard {options.ShardId} of {options.ShardCount} ({what}): check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT; the id must be below the count.",
            ShardingRequired =>
                $"Discord requires sharding for this bot ({what}): it is in too many guilds for {options.ShardCount} shard(s); set DISCORD_SHARD_COUNT to {recommendedShards?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the count GET /gateway/bot recommends"}.",
            InvalidApiVersion =>
                $"Discord rejected the gateway API version ({what}): this build speaks gateway v10; check DISCORD_API_BASE_URL ends in /api/v10.",
            _ => $"Discord closed the gateway ({what}).",
        };
    }
}
