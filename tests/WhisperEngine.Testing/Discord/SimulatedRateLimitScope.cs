namespace WhisperEngine.Testing.Discord;

/// <summary>Which limit an injected 429 hits.</summary>
public enum SimulatedRateLimitScope
{
    /// <summary>The bucket of the route and channel (<c>X-RateLimit-Scope: user</c>).</summary>
    Route = 0,

    /// <summary>The bot's global limit (<c>X-RateLimit-Global: true</c>): every route waits.</summary>
    Global = 1,
}
