using System.Buffers;
using System.Text;

namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>Writes protobuf fields (wire format) into a growing buffer.</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ProtoWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Varint(int number, ulong value)
    {
        Tag(number, ProtoWireType.Varint);
        WriteVarint(value);
    }

    public void Bytes(int number, ReadOnlySpan<byte> payload)
    {
        Tag(number, ProtoWireType.LengthDelimited);
        WriteVarint((ulong)payload.Length);
        _buffer.Write(payload);
    }

    public void Text(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));

    /// <summary>A repeated int64 field, packed.</summary>
    public void PackedInt64s(int number, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter(values.Length * 2);
        foreach (var value in values)
        {
            packed.WriteVarint((ulong)value);
        }

        Bytes(number, packed.Written);
    }

    private void Tag(int number, ProtoWireType type) => WriteVarint(((ulong)number << 3) | (ulong)type);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[count++] = (byte)value;
        _buffer.Advance(count);
    }
}
