using System.Runtime.InteropServices;

namespace WhisperEngine.Memory.Postgres;

/// <summary>Vectors as bytea: float32, little-endian (every platform .NET runs this engine on), no header; the same bytes as SQLite's BLOBs.</summary>
internal static class VectorBytes
{
    public static byte[] ToBytes(ReadOnlyMemory<float> vector) => MemoryMarshal.AsBytes(vector.Span).ToArray();

    /// <summary>Reads a vector of <paramref name="dimensions"/> floats from a bytea column straight into its array.</summary>
    public static float[] Read(Stream column, int dimensions)
    {
        var vector = new float[dimensions];
        column.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
        return vector;
    }
}
