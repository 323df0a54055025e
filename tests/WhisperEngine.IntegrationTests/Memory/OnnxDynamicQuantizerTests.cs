using Microsoft.ML.OnnxRuntime;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.AI.Embeddings.Onnx;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>The ONNX rewriter on a small hand-built model run by the real ONNX Runtime, and on malformed bytes.</summary>
public sealed class OnnxDynamicQuantizerTests
{
    // Columns of very different sizes: one scale for the whole matrix would round the small column to zeros.
    private static readonly float[] Weight =
    [
        90f, 0.011f, -1.5f,
        -40f, -0.007f, 0.25f,
        75f, 0.003f, 1.75f,
        -100f, 0.009f, -0.5f,
    ];

    private static readonly float[] Bias = [3f, -0.02f, 0.5f];
    private static readonly float[] Input = [0.9f, -0.3f, 0.5f, 0.1f, -0.7f, 0.2f, 0.4f, -1f];

    [Fact]
    public void Quantize_LinearLayer_PerColumnInt8WithBiasFoldedCloseToFloat()
    {
        var model = OnnxTestModels.LinearAndAttentionLike(Weight, Bias);

        var quantised = OnnxDynamicQuantizer.Rewrite(model, _ => true, foldBias: true, out var count);

        Assert.Equal(1, count);
        Assert.Equal(
            [(OnnxDynamicQuantizer.MicrosoftDomain, OnnxDynamicQuantizer.QuantizedOp), ("", "Transpose"), ("", "MatMul")],
            OnnxTestModels.OpTypes(quantised));
        var (expectedY, expectedZ) = Run(model);
        var (actualY, actualZ) = Run(quantised);
        Assert.Equal(expectedZ, actualZ);
        for (var column = 0; column < 3; column++)
        {
            var size = Enumerable.Range(0, 2).Max(row => MathF.Abs(expectedY[(row * 3) + column]));
            for (var row = 0; row < 2; row++)
            {
                var error = MathF.Abs(expectedY[(row * 3) + column] - actualY[(row * 3) + column]);
                Assert.True(error <= 0.03f * size, $"row {row} column {column}: {actualY[(row * 3) + column]} for {expectedY[(row * 3) + column]}");
            }
        }
    }

    [Theory]
    [InlineData(127)]
    [InlineData(63)]
    public void Rewrite_WeightLevel_EachColumnsLargestWeightAtTheLevelAndResultClose(int level)
    {
        var model = OnnxTestModels.LinearAndAttentionLike(Weight, Bias);

        var quantised = OnnxDynamicQuantizer.Rewrite(model, _ => true, foldBias: true, out _, level);

        var q = OnnxTestModels.InitializerData(quantised, "W_int8").Select(b => (int)(sbyte)b).ToArray();
        for (var column = 0; column < 3; column++)
        {
            Assert.Equal(level, Enumerable.Range(0, 4).Max(row => Math.Abs(q[(row * 3) + column])));
        }

        var expected = Run(model).Y;
        var actual = Run(quantised).Y;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 0.04f * MathF.Abs(expected[i]) + 0.002f, $"{actual[i]} for {expected[i]}");
        }
    }

    [Fact]
    public void Quantize_BiasNotFolded_AddStaysAndResultIsTheSame()
    {
        var model = OnnxTestModels.LinearAndAttentionLike(Weight, Bias);

        var folded = Run(OnnxDynamicQuantizer.Rewrite(model, _ => true, foldBias: true, out _)).Y;
        var unfolded = OnnxDynamicQuantizer.Rewrite(model, _ => true, foldBias: false, out _);

        Assert.Contains(("", "Add"), OnnxTestModels.OpTypes(unfolded));
        var y = Run(unfolded).Y;
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(folded[i], y[i], 3);
        }
    }

    [Fact]
    public void Rewrite_NothingSelected_SameBytes()
    {
        var model = OnnxTestModels.LinearAndAttentionLike(Weight, Bias);

        Assert.Equal(model, OnnxDynamicQuantizer.Rewrite(model, _ => false, foldBias: true, out var count));
        Assert.Equal(0, count);
    }

    [Fact]
    public void Quantize_MalformedBytes_ClearErrors()
    {
        var empty = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize([]));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);

        var garbage = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize("not an onnx model at all"u8));
        Assert.StartsWith("The ONNX model is malformed (ModelProto, byte ", garbage.Message, StringComparison.Ordinal);

        var truncated = MiniLmEncoder.PackageModel().AsSpan(0, 100_000).ToArray();
        var cut = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize(truncated));
        Assert.Contains("only", cut.Message, StringComparison.Ordinal);
        Assert.Contains("bytes follow", cut.Message, StringComparison.Ordinal);

        var noGraph = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize([0x08, 0x08]));
        Assert.Contains("no graph", noGraph.Message, StringComparison.Ordinal);

        // A node whose first field has a wire type ONNX does not use (a group): the error names the part and the byte.
        var broken = OnnxTestModels.LinearAndAttentionLike(Weight, Bias);
        var graph = ProtoReader.Fields(broken, 0, "model").Single(f => f.Number == 7);
        var node = ProtoReader.Fields(graph.Payload(broken), 0, "graph")[0];
        var at = graph.PayloadStart + node.PayloadStart;
        broken[at] = 0x0B;
        var inner = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize(broken));
        Assert.Equal($"The ONNX model is malformed (NodeProto, byte {at}): field 1 has wire type 3, which ONNX files do not use.", inner.Message);
    }

    private static (float[] Y, float[] Z) Run(byte[] model)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(Input.ToArray(), [2, 4]);
        using var outputs = session.Run(new RunOptions(), ["X"], [input], ["Y", "Z"]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
