namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>
/// One field of a protobuf message as it lies in the bytes: where the whole field (tag included) starts and ends, and
/// its value (a varint, or the payload range of a length-delimited field). A field the rewriter does not touch is copied
/// by its <see cref="Start"/>..<see cref="End"/> range, byte for byte.
/// </summary>
internal readonly record struct ProtoField(int Number, ProtoWireType WireType, int Start, int End, ulong Varint, int PayloadStart, int PayloadLength)
{
    /// <summary>The payload of a length-delimited field.</summary>
    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> message) => message.Slice(PayloadStart, PayloadLength);

    /// <summary>The whole field, tag included.</summary>
    public ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> message) => message[Start..End];
}
