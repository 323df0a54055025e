using System.Reflection;
using WhisperEngine.Memory;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>Saves and restores every setting of a <see cref="MemoryOptions"/> in place (the retriever holds the instance).</summary>
internal static class MemoryOptionsCopy
{
    private static readonly PropertyInfo[] Settings = typeof(MemoryOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    public static void CopyInto(MemoryOptions from, MemoryOptions to)
    {
        foreach (var setting in Settings)
        {
            setting.SetValue(to, setting.GetValue(from));
        }
    }

    public static MemoryOptions Clone(MemoryOptions options)
    {
        var copy = new MemoryOptions();
        CopyInto(options, copy);
        return copy;
    }
}
