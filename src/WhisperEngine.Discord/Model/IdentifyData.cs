namespace WhisperEngine.Discord.Model;

/// <summary>Op 2 Identify.</summary>
internal sealed record IdentifyData(string Token, IdentifyProperties Properties, int Intents, int[] Shard, int LargeThreshold = 50);
