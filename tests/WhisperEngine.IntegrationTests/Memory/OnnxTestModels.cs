using WhisperEngine.AI.Embeddings.Onnx;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>Reads what an ONNX model holds (node op types, opset domains) and builds small models, with the wire-format reader and writer.</summary>
internal static class OnnxTestModels
{
    public static List<(string Domain, string OpType)> OpTypes(byte[] model)
    {
        var graph = Graph(model);
        var ops = new List<(string, string)>();
        foreach (var node in ProtoReader.Fields(graph, 0, "graph").Where(f => f.Number == 1))
        {
            var payload = node.Payload(graph).ToArray();
            var fields = ProtoReader.Fields(payload, 0, "node");
            string Text(int number) => fields.Where(f => f.Number == number).Select(f => ProtoReader.Text(payload, f)).LastOrDefault() ?? "";
            ops.Add((Text(7), Text(4)));
        }

        return ops;
    }

    /// <summary>The raw_data of the initializer named <paramref name="name"/>.</summary>
    public static byte[] InitializerData(byte[] model, string name)
    {
        var graph = Graph(model);
        foreach (var initializer in ProtoReader.Fields(graph, 0, "graph").Where(f => f.Number == 5))
        {
            var payload = initializer.Payload(graph).ToArray();
            var fields = ProtoReader.Fields(payload, 0, "tensor");
            if (fields.Any(f => f.Number == 8 && ProtoReader.Text(payload, f) == name))
            {
                return fields.Single(f => f.Number == 9).Payload(payload).ToArray();
            }
        }

        throw new KeyNotFoundException(name);
    }

    public static List<string> OpsetDomains(byte[] model) =>
        ProtoReader.Fields(model, 0, "model").Where(f => f.Number == 8).Select(f =>
        {
            var payload = f.Payload(model).ToArray();
            return ProtoReader.Fields(payload, 0, "opset").Where(g => g.Number == 1).Select(g => ProtoReader.Text(payload, g)).LastOrDefault() ?? "";
        }).ToList();

    /// <summary>
    /// X [2, 4] → MatMul with the constant W [4, 3] → Add the constant bias [3] → Y; and Z = X · Transpose(X), a product
    /// of two activations.
    /// </summary>
    public static byte[] LinearAndAttentionLike(float[] weight, float[] bias)
    {
        var graph = new ProtoWriter();
        graph.Bytes(1, Node("MatMul", ["X", "W"], ["P"], "linear"));
        graph.Bytes(1, Node("Add", ["P", "B"], ["Y"], "bias"));
        graph.Bytes(1, Node("Transpose", ["X"], ["XT"], "transpose"));
        graph.Bytes(1, Node("MatMul", ["X", "XT"], ["Z"], "scores"));
        graph.Text(2, "tiny");
        graph.Bytes(5, FloatTensor("W", [4, 3], weight));
        graph.Bytes(5, FloatTensor("B", [3], bias));
        graph.Bytes(11, ValueInfo("X", [2, 4]));
        graph.Bytes(12, ValueInfo("Y", [2, 3]));
        graph.Bytes(12, ValueInfo("Z", [2, 2]));

        var opset = new ProtoWriter();
        opset.Text(1, "");
        opset.Varint(2, 13);
        var model = new ProtoWriter();
        model.Varint(1, 8);
        model.Bytes(8, opset.Written);
        model.Text(2, "whisperengine-tests");
        model.Bytes(7, graph.Written);
        return model.Written.ToArray();
    }

    private static byte[] Graph(byte[] model)
    {
        var field = ProtoReader.Fields(model, 0, "model").Single(f => f.Number == 7);
        return field.Payload(model).ToArray();
    }

    private static byte[] Node(string opType, string[] inputs, string[] outputs, string name)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.Text(1, input);
        }

        foreach (var output in outputs)
        {
            node.Text(2, output);
        }

        node.Text(3, name);
        node.Text(4, opType);
        return node.Written.ToArray();
    }

    private static byte[] FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoWriter();
        tensor.PackedInt64s(1, dims);
        tensor.Varint(2, 1);
        tensor.Text(8, name);
        tensor.Bytes(9, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor.Written.ToArray();
    }

    private static byte[] ValueInfo(string name, long[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var dim in dims)
        {
            var dimension = new ProtoWriter();
            dimension.Varint(1, (ulong)dim);
            shape.Bytes(1, dimension.Written);
        }

        var tensorType = new ProtoWriter();
        tensorType.Varint(1, 1);
        tensorType.Bytes(2, shape.Written);
        var type = new ProtoWriter();
        type.Bytes(1, tensorType.Written);
        var info = new ProtoWriter();
        info.Text(1, name);
        info.Bytes(2, type.Written);
        return info.Written.ToArray();
    }
}
