using System.Globalization;

namespace WhisperEngine.Memory.Facts;

/// <summary>The forms of <see cref="NewFact.Source"/>.</summary>
public static class FactSources
{
    /// <summary>The person said it as a fact themselves (a command): confidence 1.</summary>
    public const string User = "user";

    /// <summary>An operator or admin set it (the bot's global facts).</summary>
    public const string Admin = "admin";

    /// <summary>Extracted from these stored conversation messages: <c>message:12,15</c>.</summary>
    public static string Messages(IEnumerable<long> ids) => "message:" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Derived from these memories: <c>memory:3,4</c>.</summary>
    public static string Memories(IEnumerable<long> ids) => "memory:" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
