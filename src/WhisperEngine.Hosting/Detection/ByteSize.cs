using System.Globalization;

namespace WhisperEngine.Hosting.Detection;

/// <summary>Formats byte counts for human-readable reasons and diagnostics ("512 MiB", "1.5 GiB").</summary>
public static class ByteSize
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;
    public const long TiB = 1024 * GiB;

    public static string Format(long bytes)
    {
        var (unit, name) = bytes switch
        {
            >= TiB => (TiB, "TiB"),
            >= GiB => (GiB, "GiB"),
            >= MiB => (MiB, "MiB"),
            >= KiB => (KiB, "KiB"),
            _ => (1L, "B"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / unit:0.#} {name}");
    }
}
