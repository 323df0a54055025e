using System.Buffers.Binary;
using System.Text;

namespace WhisperEngine.AI.Embeddings.Onnx;

/// <summary>
/// Splits a protobuf message into its fields (wire format only: no schema). Offsets are relative to the message given;
/// <c>origin</c> (the message's offset in the whole file) only makes error messages point at the right byte.
/// </summary>
internal static class ProtoReader
{
    public static List<ProtoField> Fields(ReadOnlySpan<byte> message, int origin, string what)
    {
        var fields = new List<ProtoField>();
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = Varint(message, ref position, origin, what);
            var number = (int)(tag >> 3);
            if (number <= 0 || tag >> 3 > int.MaxValue)
            {
                throw Malformed(what, origin + start, $"field number {tag >> 3} is not valid");
            }

            switch ((ProtoWireType)(tag & 7))
            {
                case ProtoWireType.Varint:
                    var value = Varint(message, ref position, origin, what);
                    fields.Add(new ProtoField(number, ProtoWireType.Varint, start, position, value, position, 0));
                    break;
                case ProtoWireType.Fixed64:
                    Need(message, position, 8, origin, what);
                    fields.Add(new ProtoField(number, ProtoWireType.Fixed64, start, position + 8, BinaryPrimitives.ReadUInt64LittleEndian(message[position..]), position, 8));
                    position += 8;
                    break;
                case ProtoWireType.Fixed32:
                    Need(message, position, 4, origin, what);
                    fields.Add(new ProtoField(number, ProtoWireType.Fixed32, start, position + 4, BinaryPrimitives.ReadUInt32LittleEndian(message[position..]), position, 4));
                    position += 4;
                    break;
                case ProtoWireType.LengthDelimited:
                    var length = Varint(message, ref position, origin, what);
                    if (length > (ulong)(message.Length - position))
                    {
                        throw Malformed(what, origin + start, $"field {number} says {length} bytes follow, but only {message.Length - position} do");
                    }

                    fields.Add(new ProtoField(number, ProtoWireType.LengthDelimited, start, position + (int)length, 0, position, (int)length));
                    position += (int)length;
                    break;
                default:
                    throw Malformed(what, origin + start, $"field {number} has wire type {tag & 7}, which ONNX files do not use");
            }
        }

        return fields;
    }

    /// <summary>The UTF-8 text of a length-delimited field.</summary>
    public static string Text(ReadOnlySpan<byte> message, ProtoField field) => Encoding.UTF8.GetString(field.Payload(message));

    /// <summary>The integers of a repeated int64 field, packed (one length-delimited field) or not (one varint each).</summary>
    public static void AddInt64s(ReadOnlySpan<byte> message, ProtoField field, List<long> values, int origin, string what)
    {
        if (field.WireType == ProtoWireType.Varint)
        {
            values.Add((long)field.Varint);
            return;
        }

        if (field.WireType != ProtoWireType.LengthDelimited)
        {
            throw Malformed(what, origin + field.Start, $"field {field.Number} should hold integers but has wire type {(int)field.WireType}");
        }

        var packed = field.Payload(message);
        var position = 0;
        while (position < packed.Length)
        {
            values.Add((long)Varint(packed, ref position, origin + field.PayloadStart, what));
        }
    }

    public static ulong Varint(ReadOnlySpan<byte> message, ref int position, int origin, string what)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw Malformed(what, origin + position, "the data ends inside a number");
            }

            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed(what, origin + position, "a number is longer than 10 bytes");
    }

    public static InvalidDataException Malformed(string what, int offset, string problem) =>
        new($"The ONNX model is malformed ({what}, byte {offset}): {problem}.");

    private static void Need(ReadOnlySpan<byte> message, int position, int count, int origin, string what)
    {
        if (message.Length - position < count)
        {
            throw Malformed(what, origin + position, $"{count} bytes expected, {message.Length - position} left");
        }
    }
}
