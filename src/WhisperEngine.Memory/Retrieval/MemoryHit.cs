using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Retrieval;

/// <summary>A recalled memory and why.</summary>
/// <param name="Record">The memory.</param>
/// <param name="Score">Its final score (fusion plus boosts); only the order means something.</param>
/// <param name="DenseRank">Its rank in the dense search (1 = best), null when not among its candidates.</param>
/// <param name="KeywordRank">Its rank in the keyword search, null when not among its candidates.</param>
public sealed record MemoryHit(MemoryRecord Record, double Score, int? DenseRank, int? KeywordRank);
