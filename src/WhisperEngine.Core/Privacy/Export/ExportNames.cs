using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Privacy.Export;

/// <summary>The stable names of enum values in exports (never the C# names, which may be renamed).</summary>
public static class ExportNames
{
    public static string Of(PrivacyLevel privacy) => privacy switch
    {
        PrivacyLevel.DirectMessage => "direct_message",
        PrivacyLevel.PrivateChannel => "private_channel",
        PrivacyLevel.PublicChannel => "public_channel",
        _ => "unknown",
    };

    public static string Of(MessageRole role) => role == MessageRole.User ? "user" : "assistant";

    public static IReadOnlyList<string> Of(MessageFlags flags)
    {
        if (flags == MessageFlags.None)
        {
            return [];
        }

        var names = new List<string>(2);
        Add(MessageFlags.InjectionSuspected, "injection_suspected");
        Add(MessageFlags.Cleaned, "cleaned");
        Add(MessageFlags.LeakBlocked, "leak_blocked");
        Add(MessageFlags.Interrupted, "interrupted");
        return names;

        void Add(MessageFlags flag, string name)
        {
            if ((flags & flag) != 0)
            {
                names.Add(name);
            }
        }
    }
}
