using System.Runtime.InteropServices;

namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>The parts of onnx.proto the quantiser reads: field numbers and a light view of GraphProto.</summary>
internal static partial class OnnxDynamicQuantizer
{
    // ModelProto
    private const int ModelOpsetImport = 8;
    private const int ModelGraph = 7;

    // OperatorSetIdProto
    private const int OpsetDomainField = 1;
    private const int OpsetVersionField = 2;

    // GraphProto
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;

    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeDomain = 7;

    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int TensorDataLocation = 14;

    // ValueInfoProto
    private const int ValueInfoName = 1;

    // TensorProto.DataType
    private const int FloatType = 1;
    private const int Int8Type = 3;

    private sealed record Node(int FieldIndex, string OpType, string Domain, string Name, List<string> Inputs, List<string> Outputs);

    private sealed record Initializer(int FieldIndex, string Name, int DataType, long[] Dims, bool External, ProtoField? RawData, List<ProtoField> FloatData, int Origin)
    {
        public bool IsFloatMatrix => DataType == FloatType && Dims.Length == 2 && Dims[0] > 0 && Dims[1] > 0 && !External;

        /// <summary>The tensor's numbers, from raw_data (little-endian) or float_data (packed or one per field).</summary>
        public float[] Floats(ReadOnlySpan<byte> graph)
        {
            if (RawData is { } raw)
            {
                var payload = raw.Payload(graph);
                if (payload.Length % 4 != 0)
                {
                    throw ProtoReader.Malformed($"initializer {Name}", Origin + raw.Start, $"raw_data has {payload.Length} bytes, not a whole number of floats");
                }

                return MemoryMarshal.Cast<byte, float>(payload).ToArray();
            }

            var values = new List<float>();
            foreach (var field in FloatData)
            {
                if (field.WireType == ProtoWireType.Fixed32)
                {
                    values.Add(BitConverter.UInt32BitsToSingle((uint)field.Varint));
                }
                else if (field.WireType == ProtoWireType.LengthDelimited && field.PayloadLength % 4 == 0)
                {
                    values.AddRange(MemoryMarshal.Cast<byte, float>(field.Payload(graph)).ToArray());
                }
                else
                {
                    throw ProtoReader.Malformed($"initializer {Name}", Origin + field.Start, "float_data is neither packed floats nor fixed32 values");
                }
            }

            return [.. values];
        }
    }

    private sealed class Graph
    {
        public required List<ProtoField> Fields { get; init; }
        public List<Node> Nodes { get; } = [];
        public Dictionary<string, Initializer> Initializers { get; } = new(StringComparer.Ordinal);
        public HashSet<string> InputNames { get; } = new(StringComparer.Ordinal);
        public HashSet<string> OutputNames { get; } = new(StringComparer.Ordinal);

        public static Graph Read(ReadOnlySpan<byte> bytes, int origin)
        {
            var graph = new Graph { Fields = ProtoReader.Fields(bytes, origin, "GraphProto") };
            for (var i = 0; i < graph.Fields.Count; i++)
            {
                var field = graph.Fields[i];
                if (field.WireType != ProtoWireType.LengthDelimited)
                {
                    continue;
                }

                var payload = field.Payload(bytes);
                var at = origin + field.PayloadStart;
                switch (field.Number)
                {
                    case GraphNode:
                        graph.Nodes.Add(ReadNode(payload, at, i));
                        break;
                    case GraphInitializer:
                        var initializer = ReadInitializer(payload, at, i, field.PayloadStart);
                        graph.Initializers.TryAdd(initializer.Name, initializer);
                        break;
                    case GraphInput:
                        graph.InputNames.Add(ValueInfoNameOf(payload, at));
                        break;
                    case GraphOutput:
                        graph.OutputNames.Add(ValueInfoNameOf(payload, at));
                        break;
                }
            }

            return graph;
        }

        /// <summary>How many node inputs read each value (a value read twice by one node counts twice).</summary>
        public Dictionary<string, int> InputUses()
        {
            var uses = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var input in Nodes.SelectMany(n => n.Inputs))
            {
                uses[input] = uses.GetValueOrDefault(input) + 1;
            }

            return uses;
        }

        public HashSet<string> AllNames()
        {
            var names = new HashSet<string>(Initializers.Keys, StringComparer.Ordinal);
            names.UnionWith(InputNames);
            names.UnionWith(OutputNames);
            foreach (var node in Nodes)
            {
                names.UnionWith(node.Inputs);
                names.UnionWith(node.Outputs);
            }

            return names;
        }

        private static Node ReadNode(ReadOnlySpan<byte> payload, int origin, int index)
        {
            List<string> inputs = [];
            List<string> outputs = [];
            string opType = "", domain = "", name = "";
            foreach (var field in ProtoReader.Fields(payload, origin, "NodeProto"))
            {
                if (field.WireType != ProtoWireType.LengthDelimited)
                {
                    continue;
                }

                switch (field.Number)
                {
                    case NodeInput:
                        inputs.Add(ProtoReader.Text(payload, field));
                        break;
                    case NodeOutput:
                        outputs.Add(ProtoReader.Text(payload, field));
                        break;
                    case NodeName:
                        name = ProtoReader.Text(payload, field);
                        break;
                    case NodeOpType:
                        opType = ProtoReader.Text(payload, field);
                        break;
                    case NodeDomain:
                        domain = ProtoReader.Text(payload, field);
                        break;
                }
            }

            return new Node(index, opType, domain, name, inputs, outputs);
        }

        private static Initializer ReadInitializer(ReadOnlySpan<byte> payload, int origin, int index, int payloadStart)
        {
            var dims = new List<long>();
            var dataType = 0;
            var name = "";
            var external = false;
            ProtoField? raw = null;
            var floats = new List<ProtoField>();
            foreach (var field in ProtoReader.Fields(payload, origin, "TensorProto"))
            {
                switch (field.Number)
                {
                    case TensorDims:
                        ProtoReader.AddInt64s(payload, field, dims, origin, "TensorProto.dims");
                        break;
                    case TensorDataType when field.WireType == ProtoWireType.Varint:
                        dataType = (int)field.Varint;
                        break;
                    case TensorName when field.WireType == ProtoWireType.LengthDelimited:
                        name = ProtoReader.Text(payload, field);
                        break;
                    case TensorRawData when field.WireType == ProtoWireType.LengthDelimited:
                        raw = Shift(field, payloadStart);
                        break;
                    case TensorFloatData:
                        floats.Add(Shift(field, payloadStart));
                        break;
                    case TensorDataLocation when field.WireType == ProtoWireType.Varint:
                        external = field.Varint == 1;
                        break;
                }
            }

            // Offsets of the data fields are kept relative to the graph, so the numbers are read from the graph's bytes.
            return new Initializer(index, name, dataType, [.. dims], external, raw, floats, origin - payloadStart);
        }

        private static ProtoField Shift(ProtoField field, int by) =>
            field with { Start = field.Start + by, End = field.End + by, PayloadStart = field.PayloadStart + by };

        private static string ValueInfoNameOf(ReadOnlySpan<byte> payload, int origin)
        {
            foreach (var field in ProtoReader.Fields(payload, origin, "ValueInfoProto"))
            {
                if (field.Number == ValueInfoName && field.WireType == ProtoWireType.LengthDelimited)
                {
                    return ProtoReader.Text(payload, field);
                }
            }

            return "";
        }
    }
}
