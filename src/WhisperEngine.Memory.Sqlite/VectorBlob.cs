using System.Runtime.InteropServices;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>Vectors as BLOBs: float32, little-endian (every platform .NET runs this engine on), no header.</summary>
internal static class VectorBlob
{
    public static byte[] ToBytes(ReadOnlyMemory<float> vector) => MemoryMarshal.AsBytes(vector.Span).ToArray();

    public static float[] FromBytes(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();
}
