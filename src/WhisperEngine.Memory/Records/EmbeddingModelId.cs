namespace WhisperEngine.Memory.Records;

/// <summary>The model and dimension that the vectors of a search must share.</summary>
/// <param name="Model">The embedding model id.</param>
/// <param name="Dimensions">Its vector length.</param>
public sealed record EmbeddingModelId(string Model, int Dimensions)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model} ({Dimensions}d)";
}
