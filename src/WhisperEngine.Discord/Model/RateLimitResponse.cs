namespace WhisperEngine.Discord.Model;

/// <summary>The body of a 429.</summary>
internal sealed record RateLimitResponse
{
    public string? Message { get; init; }

    /// <summary>Seconds to wait.</summary>
    public double RetryAfter { get; init; }

    public bool Global { get; init; }

    public int? Code { get; init; }
}
