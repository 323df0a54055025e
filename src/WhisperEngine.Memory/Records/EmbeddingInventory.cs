namespace WhisperEngine.Memory.Records;

/// <summary>How many memories of a partition carry vectors of one model; <see cref="Model"/> null counts those without a vector.</summary>
public sealed record EmbeddingInventory(EmbeddingModelId? Model, long Count);
