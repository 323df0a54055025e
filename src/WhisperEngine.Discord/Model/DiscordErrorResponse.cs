namespace WhisperEngine.Discord.Model;

/// <summary>The body of a 4xx error.</summary>
internal sealed record DiscordErrorResponse
{
    public string? Message { get; init; }

    public int Code { get; init; }
}
