namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>The protobuf wire types ONNX files use (groups, types 3 and 4, are not valid in them).</summary>
internal enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
