using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.AI.Embeddings.Onnx;
using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The int8 MiniLM: our own rewrite of the package's ONNX model (<see cref="OnnxDynamicQuantizer"/>) run by the real ONNX
/// Runtime, against the float32 model's vectors and rankings.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class Int8MiniLmTests(MiniLmFixture float32, Int8MiniLmFixture int8) : IClassFixture<Int8MiniLmFixture>
{
    /// <summary>
    /// Lowest cosine between an int8 and a float32 vector of the same text. Measured over these texts (2026-11-26): mean
    /// 0.991, lowest 0.968 for a text of one token ("ok"), sentences of five words or more 0.988 and above.
    /// </summary>
    private const float MinimumCosine = 0.95f;
    private const float MinimumCosineOfSentences = 0.98f;
    private const float MinimumMeanCosine = 0.985f;

    /// <summary>The same for sentences with 7-bit weights (CPUs without VNNI): measured 0.985 and above (mean 0.990 over all texts).</summary>
    private const float MinimumCosineOfSevenBits = 0.975f;

    /// <summary>Largest change of a text-to-text similarity from float32 to int8 (measured: 0.042 over all pairs of these texts).</summary>
    private const float MaximumSimilarityShift = 0.05f;

    private static readonly string[] Chat =
    [
        "I adopted a rescue dog named Biscuit last spring.",
        "My sister lives in Lisbon and works as a marine biologist.",
        "I'm allergic to peanuts and shellfish.",
        "We went hiking in the Dolomites during our honeymoon.",
        "I have been learning to play the cello for three years.",
        "The doctor told me to cut down on coffee.",
        "I switched from Python to Rust for my side project.",
        "I lost my wallet at the airport in Frankfurt.",
        "lol that's hilarious 😂",
        "ok",
        "My grandfather fought in the war and never talked about it.",
        "The meeting got moved to Thursday at 3pm.",
    ];

    private static readonly (string Query, int Memory)[] Questions =
    [
        ("What is the name of my dog?", 0),
        ("Where does my sister live?", 1),
        ("What food am I allergic to?", 2),
        ("Where did we go on our honeymoon?", 3),
        ("Which instrument am I learning?", 4),
        ("What did the doctor say about caffeine?", 5),
        ("Which programming language do I use now?", 6),
        ("Where did I lose my wallet?", 7),
    ];

    [Fact]
    public void Rewrite_NothingSelected_ReturnsThePackageModelByteForByte()
    {
        var model = MiniLmEncoder.PackageModel();

        var rewritten = OnnxDynamicQuantizer.Rewrite(model, _ => false, foldBias: true, out var count);

        Assert.Equal(0, count);
        Assert.NotSame(model, rewritten);
        Assert.True(model.AsSpan().SequenceEqual(rewritten), "a rewrite that changes nothing must copy every field verbatim");
    }

    [Fact]
    public void Quantize_PackageModel_EveryLinearLayerQuantisedAttentionLeftFloatAndOrtAccepts()
    {
        var model = MiniLmEncoder.PackageModel();

        var quantised = OnnxDynamicQuantizer.Rewrite(model, _ => true, foldBias: true, out var count);

        // 6 layers x (query, key, value, attention output, two feed-forward layers).
        Assert.Equal(36, count);
        var ops = OnnxTestModels.OpTypes(quantised);
        Assert.Equal(36, ops.Count(o => o == (OnnxDynamicQuantizer.MicrosoftDomain, OnnxDynamicQuantizer.QuantizedOp)));
        Assert.Equal(12, ops.Count(o => o.OpType == "MatMul"));
        Assert.Equal(OnnxTestModels.OpTypes(model).Count(o => o.OpType == "Add") - 36, ops.Count(o => o.OpType == "Add"));
        Assert.Contains(OnnxDynamicQuantizer.MicrosoftDomain, OnnxTestModels.OpsetDomains(quantised));
        Assert.DoesNotContain(OnnxDynamicQuantizer.MicrosoftDomain, OnnxTestModels.OpsetDomains(model));
        Assert.True(quantised.Length < model.Length * 0.7, $"{quantised.Length} bytes; the float weights should be gone");

        using var session = new InferenceSession(quantised);
        Assert.Contains("last_hidden_state", session.OutputMetadata.Keys);
    }

    [Fact]
    public async Task Int8Vectors_VariedTexts_CloseToFloat32()
    {
        var texts = MiniLmEquivalenceTests.Texts.Concat(Chat).Where(t => t.Length > 0).ToArray();
        var expected = await float32.Embedder.GenerateAsync(texts);
        var actual = await int8.Embedder.GenerateAsync(texts);

        var cosines = new List<float>();
        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(expected[i].Vector.Span, actual[i].Vector.Span);
            cosines.Add(cosine);
            Assert.True(cosine >= MinimumCosine, $"cosine {cosine} for '{texts[i]}'");
            Assert.True(texts[i].Split(' ').Length < 5 || cosine >= MinimumCosineOfSentences, $"cosine {cosine} for the sentence '{texts[i]}'");
            Assert.Equal(1f, TensorPrimitives.Norm(actual[i].Vector.Span), 3);
        }

        Assert.True(cosines.Average() >= MinimumMeanCosine, $"mean cosine {cosines.Average()}");
    }

    [Fact]
    public async Task SevenBitWeights_ForCpusWithoutVnni_StillCloseToFloat32()
    {
        var texts = Chat.Where(t => t.Split(' ').Length >= 5).ToArray();
        var expected = await float32.Embedder.GenerateAsync(texts);
        using var encoder = new MiniLmEncoder(1, OnnxDynamicQuantizer.Rewrite(MiniLmEncoder.PackageModel(), _ => true, foldBias: true, out _, weightLevel: 63));
        var actual = new float[texts.Length * MiniLmEncoder.Dimensions];

        encoder.Encode(texts, actual);

        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(expected[i].Vector.Span, actual.AsSpan(i * MiniLmEncoder.Dimensions, MiniLmEncoder.Dimensions));
            Assert.True(cosine >= MinimumCosineOfSevenBits, $"cosine {cosine} for '{texts[i]}'");
        }
    }

    [Fact]
    public async Task Int8Ranking_SmallQuerySet_SameAnswerFirstAndSimilaritiesClose()
    {
        var memories = Chat.Take(8).ToArray();
        foreach (var (query, answer) in Questions)
        {
            var expected = await SimilaritiesAsync(float32.Embedder, query, memories);
            var actual = await SimilaritiesAsync(int8.Embedder, query, memories);

            Assert.Equal(answer, Array.IndexOf(expected, expected.Max()));
            Assert.Equal(answer, Array.IndexOf(actual, actual.Max()));

            // The distractors' order may swap where float32 scores them within a few hundredths of each other.
            for (var i = 0; i < memories.Length; i++)
            {
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= MaximumSimilarityShift,
                    $"'{query}' vs '{memories[i]}': {actual[i]} at int8, {expected[i]} at float32");
            }
        }
    }

    [Fact]
    public async Task Int8Generator_VectorsCarryTheirOwnModelId()
    {
        var embedding = (await int8.Embedder.GenerateAsync(["hello"]))[0];

        Assert.Equal(MiniLmEmbeddingGenerator.Int8ModelId, embedding.ModelId);
        Assert.Equal(MiniLmEmbeddingGenerator.Int8ModelId, int8.Embedder.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.Equal(MiniLmEmbeddingGenerator.Float32ModelId, (await float32.Embedder.GenerateAsync(["hello"]))[0].ModelId);
        Assert.NotEqual(MiniLmEmbeddingGenerator.Float32ModelId, MiniLmEmbeddingGenerator.Int8ModelId);
    }

    [Fact]
    public async Task PrecisionSwitch_Float32VectorsNotMixed_ReembeddedAtInt8()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "memory.db");
        var ann = MemoryHarness.Partition("ann");
        var dm = new RecallScope(ann, "dm", PrivacyLevel.DirectMessage);
        using (var before = new MemoryHarness(path, float32.Embedder))
        {
            await before.WriteAsync(ann, "My grandmother taught me to knit.");
            await before.WriteAsync(ann, "I collect vintage postcards.");
        }

        using var after = new MemoryHarness(path, int8.Embedder);
        var model = after.Writer.Model;
        Assert.Equal(new EmbeddingModelId(MiniLmEmbeddingGenerator.Int8ModelId, 384), model);
        Assert.Empty(await after.RecallAsync(dm, "knitting with grandma", RetrievalMode.Dense));
        Assert.Equal([new EmbeddingInventory(new EmbeddingModelId(MiniLmEmbeddingGenerator.Float32ModelId, 384), 2)],
            await after.Store.GetEmbeddingInventoryAsync(ann));

        Assert.Equal(2, await after.Writer.ReembedAsync(ann));

        Assert.Equal([new EmbeddingInventory(model, 2)], await after.Store.GetEmbeddingInventoryAsync(ann));
        Assert.Equal("My grandmother taught me to knit.", (await after.RecallAsync(dm, "knitting with grandma", RetrievalMode.Dense))[0]);
    }

    private static async Task<float[]> SimilaritiesAsync(MiniLmEmbeddingGenerator embedder, string query, string[] memories)
    {
        var vectors = await embedder.GenerateAsync([query, .. memories]);
        var q = vectors[0].Vector;
        return Enumerable.Range(0, memories.Length).Select(i => TensorPrimitives.Dot(q.Span, vectors[i + 1].Vector.Span)).ToArray();
    }
}
