using System.Globalization;
using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Benchmarks;

/// <summary>Chat-like filler text, varied so that no two stored messages are identical (about 30 to 60 tokens each).</summary>
internal static class SeedText
{
    private static readonly string[] UserLines =
    [
        "I went for a long walk by the river this morning and saw a heron standing perfectly still in the shallows.",
        "Work was rough today, the release slipped again and my manager wants a new plan by Friday.",
        "Do you remember the book I mentioned last week? I finally got to the chapter about the lighthouse keeper.",
        "My sister is visiting next month and I have no idea where to take her for dinner, any ideas?",
        "I tried baking sourdough again; the crust was perfect but the inside was still a little dense.",
    ];

    private static readonly string[] AssistantLines =
    [
        "That sounds peaceful. Herons have such patience; I imagine the river was quiet at that hour. What made you go out so early?",
        "I'm sorry, slipping releases wear everyone down. Would it help to sketch the plan together, starting with what is already done?",
        "I do remember, the one with the storm on the cover. How did the lighthouse keeper's story make you feel?",
        "How lovely that she's coming! Does she like trying new cuisines, or would she prefer somewhere cosy and familiar?",
        "A perfect crust is already a win. A dense crumb often means a slightly shorter proof; how long did you let it rise?",
    ];

    /// <summary>The text of seeded message <paramref name="index"/>.</summary>
    public static string Message(int index, MessageRole role)
    {
        var lines = role == MessageRole.User ? UserLines : AssistantLines;
        return lines[(index / 2) % lines.Length] + " (" + index.ToString(CultureInfo.InvariantCulture) + ")";
    }
}
