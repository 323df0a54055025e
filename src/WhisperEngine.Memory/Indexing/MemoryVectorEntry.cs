using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Indexing;

/// <summary>One memory's vector with what the privacy filter needs, as a vector index holds it.</summary>
public sealed record MemoryVectorEntry(long Id, string ChannelId, PrivacyLevel Privacy, ReadOnlyMemory<float> Vector);
