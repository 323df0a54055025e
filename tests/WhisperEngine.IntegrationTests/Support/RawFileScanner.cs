using System.Text;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>
/// Searches the raw bytes of every file under a directory for strings, as UTF-8 and as UTF-16 (little and big endian),
/// case-insensitively for ASCII letters: what a forensic look at the data files would find.
/// </summary>
public static class RawFileScanner
{
    public sealed record Hit(string File, string Needle, string Encoding, long Offset)
    {
        public override string ToString() => $"'{Needle}' ({Encoding}) in {System.IO.Path.GetFileName(File)} at byte {Offset}";
    }

    /// <remarks>
    /// Do not scan a SQLite file while this process has it open: closing any descriptor of a file drops the POSIX locks
    /// the process holds on it, SQLite's included.
    /// </remarks>
    public static IReadOnlyList<Hit> Find(string directory, IEnumerable<string> needles)
    {
        var list = needles.ToList();
        return [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).SelectMany(file => FindInFile(file, list))];
    }

    public static IReadOnlyList<Hit> FindInFile(string file, IEnumerable<string> needles)
    {
        byte[] bytes;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var hits = new List<Hit>();
        foreach (var needle in needles)
        {
            foreach (var (encoding, pattern) in new[]
            {
                ("utf-8", Encoding.UTF8.GetBytes(needle)),
                ("utf-16le", Encoding.Unicode.GetBytes(needle)),
                ("utf-16be", Encoding.BigEndianUnicode.GetBytes(needle)),
            })
            {
                if (IndexOf(bytes, pattern) is var at and >= 0)
                {
                    hits.Add(new Hit(file, needle, encoding, at));
                }
            }
        }

        return hits;
    }

    /// <summary>The first offset of <paramref name="pattern"/> in <paramref name="data"/>, ignoring the case of ASCII letters; -1 when absent.</summary>
    private static long IndexOf(byte[] data, byte[] pattern)
    {
        for (long i = 0; i + pattern.Length <= data.Length; i++)
        {
            var j = 0;
            while (j < pattern.Length && Lower(data[i + j]) == Lower(pattern[j]))
            {
                j++;
            }

            if (j == pattern.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
