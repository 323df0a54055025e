namespace WhisperEngine.Discord.Model;

/// <summary>The connection properties of Identify.</summary>
internal sealed record IdentifyProperties(string Os, string Browser, string Device);
