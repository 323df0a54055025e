namespace WhisperEngine.Memory.Pipeline;

/// <summary>The tag of a prompt line made from a memory, so its use can be recorded after the turn.</summary>
internal sealed record RecalledMemoryTag(long Id);
