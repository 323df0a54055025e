namespace WhisperEngine.Core.Conversations;

/// <summary>Facts about a stored message that later turns and audits need.</summary>
[Flags]
public enum MessageFlags
{
    /// <summary>Nothing notable.</summary>
    None = 0,

    /// <summary>The input contained text that looks like a prompt-injection attempt.</summary>
    InjectionSuspected = 1,

    /// <summary>Control characters or invalid code points were removed from the input.</summary>
    Cleaned = 2,

    /// <summary>The reply was cut because it started to repeat the system prompt.</summary>
    LeakBlocked = 4,

    /// <summary>The reply stream ended early (client gone, model stream dropped).</summary>
    Interrupted = 8,
}
