namespace WhisperEngine.Memory.Records;

/// <summary>A vector with the model that made it: vectors of different models are never compared.</summary>
/// <param name="Model">The embedding model id.</param>
/// <param name="Vector">The vector; its length is the model's dimension.</param>
public sealed record StoredEmbedding(string Model, ReadOnlyMemory<float> Vector)
{
    public int Dimensions => Vector.Length;
}
