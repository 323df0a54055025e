namespace WhisperEngine.Memory.Indexing;

/// <summary>One stored memory's vector in an <see cref="IndexChange"/>: what <see cref="MemoryVectorEntry"/> holds.</summary>
internal sealed record IndexChangeEntry(long Id, string Channel, int Privacy, float[] Vector);
