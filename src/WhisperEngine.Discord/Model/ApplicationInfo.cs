namespace WhisperEngine.Discord.Model;

/// <summary>The application of the bot, as <c>READY</c> names it.</summary>
public sealed record ApplicationInfo
{
    public string Id { get; init; } = "";
}
