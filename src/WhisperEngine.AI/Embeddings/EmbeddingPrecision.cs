namespace WhisperEngine.AI.Embeddings;

/// <summary>How the local MiniLM model computes its linear layers (<c>ai.embeddings.precision</c>).</summary>
public enum EmbeddingPrecision
{
    /// <summary>The model's linear layers quantised to int8 at load (ONNX Runtime's DynamicQuantizeMatMul).</summary>
    Int8,

    /// <summary>The model as shipped: 32-bit floats throughout.</summary>
    Float32,
}
