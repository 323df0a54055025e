using Microsoft.Extensions.AI;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Writing;

/// <summary>Reads the model identity every stored vector is tagged with.</summary>
internal static class EmbeddingGeneratorExtensions
{
    public static EmbeddingModelId ModelId(this IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        if (metadata?.DefaultModelId is not { Length: > 0 } model || metadata.DefaultModelDimensions is not { } dimensions)
        {
            throw new InvalidOperationException(
                $"The embedding generator {generator.GetType().Name} does not report its model id and dimension (EmbeddingGeneratorMetadata); memory needs both to tag its vectors.");
        }

        return new EmbeddingModelId(model, dimensions);
    }
}
