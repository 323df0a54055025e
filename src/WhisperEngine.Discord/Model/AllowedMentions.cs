namespace WhisperEngine.Discord.Model;

/// <summary>Which mentions in a message may notify anyone.</summary>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse, bool RepliedUser);
