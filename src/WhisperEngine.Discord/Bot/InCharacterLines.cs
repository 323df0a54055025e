using WhisperEngine.Core.Turns;

namespace WhisperEngine.Discord.Bot;

/// <summary>What the character says when a turn cannot be answered: short, in character, never an error dump.</summary>
internal static class InCharacterLines
{
    public static string ForFailure(string name, TurnErrorKind kind) => kind switch
    {
        TurnErrorKind.InvalidInput => $"*{name} squints at the screen* That message is more than I can take in at once. Could you say it shorter?",
        TurnErrorKind.Busy => $"*{name} is juggling a lot right now* Give me a moment and say that again?",
        TurnErrorKind.NotConfigured => $"*{name} is silent* I can't think right now; whoever runs me still has to connect my mind (a model).",
        _ => $"*{name} pauses* Sorry, I lost my train of thought. Could you say that again?",
    };

    public static string EmptyMention(string name) => $"*{name} looks up* Yes? What's on your mind?";

    public static string Blocked(string name) => $"*{name} hesitates* Let me not go there. Ask me something else?";
}
