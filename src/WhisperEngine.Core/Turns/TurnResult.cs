using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Turns;

/// <summary>The outcome of a completed turn.</summary>
public sealed record TurnResult
{
    public required string Reply { get; init; }
    public required string Model { get; init; }
    public required long UserMessageId { get; init; }
    public required long ReplyMessageId { get; init; }
    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public MessageFlags InputFlags { get; init; }
    public MessageFlags ReplyFlags { get; init; }

    /// <summary><c>stop</c>, <c>length</c>, or <c>content_filter</c> when a leak was blocked.</summary>
    public string FinishReason { get; init; } = "stop";
    public int HistoryMessagesUsed { get; init; }

    /// <summary>Context lines (recalled memories, relationship, ...) that went into the prompt.</summary>
    public int ContextLinesUsed { get; init; }
    public string RoutingReason { get; init; } = "";
}
