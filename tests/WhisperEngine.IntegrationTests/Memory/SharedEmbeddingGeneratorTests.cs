using Microsoft.Extensions.AI;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.Hosting;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The process's shared local model answers for its identity without loading the model, and with the identity the model
/// itself gives: stored vectors carry that model id, so a difference would make every memory look re-embeddable.
/// </summary>
public sealed class SharedEmbeddingGeneratorTests
{
    [Theory]
    [InlineData(EmbeddingPrecision.Int8)]
    [InlineData(EmbeddingPrecision.Float32)]
    public void Metadata_IsTheModelsOwn(EmbeddingPrecision precision)
    {
        var shared = new SharedEmbeddingGenerator(precision);
        using var model = new MiniLmEmbeddingGenerator(warmUp: false, precision: precision);

        var expected = model.GetService<EmbeddingGeneratorMetadata>()!;
        var actual = shared.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Same(shared.Metadata, actual);
        Assert.Equal(expected.ProviderName, actual.ProviderName);
        Assert.Equal(expected.DefaultModelId, actual.DefaultModelId);
        Assert.Equal(expected.DefaultModelDimensions, actual.DefaultModelDimensions);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelIdFor(precision), actual.DefaultModelId);
    }
}
