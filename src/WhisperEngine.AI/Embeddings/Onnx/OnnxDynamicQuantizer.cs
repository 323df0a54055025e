using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>
/// Int8 dynamic quantisation of an ONNX model's linear layers, done on the model's bytes at load: each <c>MatMul</c>
/// whose second input is a constant float matrix (an initializer of rank 2) becomes ONNX Runtime's
/// <c>com.microsoft:DynamicQuantizeMatMul</c> with that matrix as symmetric int8, one scale per output column (zero
/// points all 0). The activations are quantised to uint8 per call by the operator itself. A constant bias <c>Add</c>
/// that alone consumes the product is folded into the operator's bias input. Matrix products of two activations
/// (attention's QK^T and its weighted sum) stay float.
/// </summary>
/// <remarks>
/// Wire-format only (no onnx.proto schema): every field of ModelProto and GraphProto that is not rewritten is copied
/// byte for byte, so a rewrite that selects nothing returns the input bytes unchanged. Malformed bytes raise
/// <see cref="InvalidDataException"/> naming the part and byte offset.
/// </remarks>
internal static partial class OnnxDynamicQuantizer
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string QuantizedOp = "DynamicQuantizeMatMul";

    /// <summary>Rewrites every constant-weight MatMul with this CPU's <see cref="MachineWeightLevel"/>; see <see cref="Rewrite"/>.</summary>
    public static byte[] Quantize(ReadOnlySpan<byte> model) => Rewrite(model, _ => true, foldBias: true, out _, MachineWeightLevel);

    /// <summary>
    /// The largest int8 weight magnitude to use here: 127, or 63 on x86 CPUs without VNNI. There MLAS multiplies uint8
    /// activations by int8 weights with VPMADDUBSW, whose pairwise int16 sums saturate above 32,767 (255 x 127 x 2 =
    /// 64,770); 7-bit weights keep them exact (ONNX Runtime's quantisation docs, "reduce_range"). AVX-VNNI and AVX-512
    /// VNNI sum into int32, and ARM's dot-product kernels do not saturate.
    /// </summary>
    public static int MachineWeightLevel { get; } = HasVnni() || !X86Base.IsSupported ? 127 : 63;

    /// <summary>
    /// Rewrites the constant-weight MatMuls whose weight name <paramref name="selectWeight"/> accepts.
    /// </summary>
    /// <param name="model">The ModelProto bytes.</param>
    /// <param name="selectWeight">Which weights (initializer names) to quantise.</param>
    /// <param name="foldBias">Fold a following constant bias <c>Add</c> into the quantised operator.</param>
    /// <param name="rewritten">How many MatMuls were rewritten.</param>
    /// <param name="weightLevel">The largest quantised weight magnitude (127: full int8; 63: 7 bits).</param>
    public static byte[] Rewrite(ReadOnlySpan<byte> model, Func<string, bool> selectWeight, bool foldBias, out int rewritten, int weightLevel = 127)
    {
        ArgumentNullException.ThrowIfNull(selectWeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(weightLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weightLevel, 127);
        if (model.IsEmpty)
        {
            throw new InvalidDataException("The ONNX model is empty (0 bytes).");
        }

        var modelFields = ProtoReader.Fields(model, 0, "ModelProto");
        var graphIndex = modelFields.FindLastIndex(f => f.Number == ModelGraph && f.WireType == ProtoWireType.LengthDelimited);
        if (graphIndex < 0)
        {
            throw new InvalidDataException("The ONNX model is malformed (ModelProto): it has no graph (field 7).");
        }

        var graphField = modelFields[graphIndex];
        var graph = Graph.Read(model.Slice(graphField.PayloadStart, graphField.PayloadLength), graphField.PayloadStart);
        var newGraph = RewriteGraph(model.Slice(graphField.PayloadStart, graphField.PayloadLength), graph, selectWeight, foldBias, weightLevel, out rewritten);

        var output = new ProtoWriter(model.Length);
        var hasMicrosoftOpset = false;
        foreach (var field in modelFields)
        {
            hasMicrosoftOpset |= field.Number == ModelOpsetImport && field.WireType == ProtoWireType.LengthDelimited
                && OpsetDomain(model, field) == MicrosoftDomain;
        }

        var lastOpset = modelFields.FindLastIndex(f => f.Number == ModelOpsetImport);
        for (var i = 0; i < modelFields.Count; i++)
        {
            if (i == graphIndex && newGraph is not null)
            {
                output.Bytes(ModelGraph, newGraph);
            }
            else
            {
                output.Raw(modelFields[i].Raw(model));
            }

            if (rewritten > 0 && !hasMicrosoftOpset && (i == lastOpset || (lastOpset < 0 && i == modelFields.Count - 1)))
            {
                var opset = new ProtoWriter(32);
                opset.Text(OpsetDomainField, MicrosoftDomain);
                opset.Varint(OpsetVersionField, 1);
                output.Bytes(ModelOpsetImport, opset.Written);
            }
        }

        return output.Written.ToArray();
    }

    /// <summary>The new GraphProto bytes, or null when nothing is rewritten (the original field is then copied).</summary>
    private static byte[]? RewriteGraph(ReadOnlySpan<byte> bytes, Graph graph, Func<string, bool> selectWeight, bool foldBias, int weightLevel,
        out int rewritten)
    {
        rewritten = 0;
        var replaced = new Dictionary<int, byte[]>();
        var dropped = new HashSet<int>();
        var added = new List<byte[]>();
        var names = graph.AllNames();
        var uses = graph.InputUses();
        var rewrittenUses = new Dictionary<string, int>(StringComparer.Ordinal);
        var quantised = new Dictionary<string, (string Weight, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || node.Inputs.Count != 2 || node.Outputs.Count != 1
                || !graph.Initializers.TryGetValue(node.Inputs[1], out var weight) || !weight.IsFloatMatrix
                || graph.InputNames.Contains(weight.Name) || !selectWeight(weight.Name))
            {
                continue;
            }

            if (!quantised.TryGetValue(weight.Name, out var parameters))
            {
                parameters = (Unique(names, weight.Name + "_int8"), Unique(names, weight.Name + "_scale"), Unique(names, weight.Name + "_zero_point"));
                added.AddRange(QuantizeWeight(bytes, weight, parameters, weightLevel));
                quantised[weight.Name] = parameters;
            }

            var output = node.Outputs[0];
            string? bias = null;
            if (foldBias && FoldableBias(graph, node, weight, uses) is { } add)
            {
                bias = add.Inputs[0] == output ? add.Inputs[1] : add.Inputs[0];
                output = add.Outputs[0];
                dropped.Add(add.FieldIndex);
            }

            replaced[node.FieldIndex] = QuantizedNode(node, parameters, bias, output);
            rewrittenUses[weight.Name] = rewrittenUses.GetValueOrDefault(weight.Name) + 1;
            rewritten++;
        }

        if (rewritten == 0)
        {
            return null;
        }

        // A float weight no other node reads is left out: the int8 copy replaces it.
        foreach (var (name, count) in rewrittenUses)
        {
            if (uses.GetValueOrDefault(name) == count && !graph.OutputNames.Contains(name))
            {
                dropped.Add(graph.Initializers[name].FieldIndex);
            }
        }

        var writer = new ProtoWriter(bytes.Length);
        var lastInitializer = graph.Fields.FindLastIndex(f => f.Number == GraphInitializer);
        for (var i = 0; i < graph.Fields.Count; i++)
        {
            if (replaced.TryGetValue(i, out var node))
            {
                writer.Bytes(GraphNode, node);
            }
            else if (!dropped.Contains(i))
            {
                writer.Raw(graph.Fields[i].Raw(bytes));
            }

            if (i == (lastInitializer >= 0 ? lastInitializer : graph.Fields.Count - 1))
            {
                foreach (var tensor in added)
                {
                    writer.Bytes(GraphInitializer, tensor);
                }
            }
        }

        return writer.Written.ToArray();
    }

    /// <summary>The <c>Add</c> of a constant bias of length N that is the product's only reader, if there is one.</summary>
    private static Node? FoldableBias(Graph graph, Node matMul, Initializer weight, Dictionary<string, int> uses)
    {
        var product = matMul.Outputs[0];
        if (uses.GetValueOrDefault(product) != 1 || graph.OutputNames.Contains(product))
        {
            return null;
        }

        var add = graph.Nodes.FirstOrDefault(n => n.Inputs.Contains(product));
        if (add is not { OpType: "Add", Domain: "" or "ai.onnx", Inputs.Count: 2, Outputs.Count: 1 } || add.Inputs[0] == add.Inputs[1])
        {
            return null;
        }

        var other = add.Inputs[0] == product ? add.Inputs[1] : add.Inputs[0];
        return graph.Initializers.TryGetValue(other, out var bias) && bias.DataType == FloatType && bias.Dims is [var n] && n == weight.Dims[1]
            && !graph.InputNames.Contains(other)
            ? add
            : null;
    }

    private static byte[] QuantizedNode(Node node, (string Weight, string Scale, string ZeroPoint) parameters, string? bias, string output)
    {
        var writer = new ProtoWriter(128);
        writer.Text(NodeInput, node.Inputs[0]);
        writer.Text(NodeInput, parameters.Weight);
        writer.Text(NodeInput, parameters.Scale);
        writer.Text(NodeInput, parameters.ZeroPoint);
        if (bias is not null)
        {
            writer.Text(NodeInput, bias);
        }

        writer.Text(NodeOutput, output);
        if (node.Name.Length > 0)
        {
            writer.Text(NodeName, node.Name + "_int8");
        }

        writer.Text(NodeOpType, QuantizedOp);
        writer.Text(NodeDomain, MicrosoftDomain);
        return writer.Written.ToArray();
    }

    /// <summary>Symmetric int8 per output column: scale = max|w| / level over the column, q = round(w / scale).</summary>
    private static byte[][] QuantizeWeight(ReadOnlySpan<byte> bytes, Initializer weight, (string Weight, string Scale, string ZeroPoint) names, int level)
    {
        var values = weight.Floats(bytes);
        var rows = checked((int)weight.Dims[0]);
        var columns = checked((int)weight.Dims[1]);
        if (values.Length != rows * columns)
        {
            throw new InvalidDataException($"The ONNX model is malformed (initializer {weight.Name}): {values.Length} numbers for a {rows}x{columns} matrix.");
        }

        // Vectorised row by row (10.6 M weights in MiniLM): the column maxima, then w / scale rounded (all within ±127).
        var scales = new float[columns];
        var scratch = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Abs(values.AsSpan(r * columns, columns), scratch);
            TensorPrimitives.Max(scales, scratch, scales);
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 && float.IsFinite(scales[c]) ? scales[c] / level : 1f;
        }

        var quantised = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Divide(values.AsSpan(r * columns, columns), scales, scratch);
            TensorPrimitives.Round(scratch, MidpointRounding.ToEven, scratch);
            TensorPrimitives.Clamp(scratch, -level, (float)level, scratch);
            TensorPrimitives.ConvertSaturating<float, sbyte>(scratch, quantised.AsSpan(r * columns, columns));
        }

        return
        [
            Tensor(names.Weight, Int8Type, [rows, columns], MemoryMarshal.AsBytes(quantised.AsSpan())),
            Tensor(names.Scale, FloatType, [columns], MemoryMarshal.AsBytes(scales.AsSpan())),
            Tensor(names.ZeroPoint, Int8Type, [columns], new byte[columns]),
        ];
    }

    private static byte[] Tensor(string name, int dataType, long[] dims, ReadOnlySpan<byte> raw)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Quantising an ONNX model needs a little-endian machine.");
        }

        var writer = new ProtoWriter(raw.Length + 64);
        writer.PackedInt64s(TensorDims, dims);
        writer.Varint(TensorDataType, (ulong)dataType);
        writer.Text(TensorName, name);
        writer.Bytes(TensorRawData, raw);
        return writer.Written.ToArray();
    }

    /// <summary>AVX-VNNI, or AVX-512 VNNI (CPUID leaf 7, ECX bit 11) with AVX-512 enabled by the OS.</summary>
    private static bool HasVnni() =>
        AvxVnni.IsSupported || (Avx512F.IsSupported && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0);

    private static string Unique(HashSet<string> names, string name)
    {
        while (!names.Add(name))
        {
            name += "_";
        }

        return name;
    }

    private static string? OpsetDomain(ReadOnlySpan<byte> model, ProtoField opset)
    {
        var payload = opset.Payload(model);
        foreach (var field in ProtoReader.Fields(payload, opset.PayloadStart, "opset_import"))
        {
            if (field.Number == OpsetDomainField && field.WireType == ProtoWireType.LengthDelimited)
            {
                return ProtoReader.Text(payload, field);
            }
        }

        return "";
    }
}
