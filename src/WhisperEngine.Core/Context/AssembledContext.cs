using Microsoft.Extensions.AI;
using WhisperEngine.Core.Recall;

namespace WhisperEngine.Core.Context;

/// <summary>The prompt for one model call.</summary>
/// <param name="Messages">System message first (with the context sections appended), then alternating user/assistant turns ending with the user.</param>
/// <param name="PromptTokens">Tokens counted for the prompt (with per-message overhead).</param>
/// <param name="HistoryMessagesUsed">Stored messages included.</param>
/// <param name="HistoryMessagesDropped">Stored messages left out to stay under the budget.</param>
public sealed record AssembledContext(IReadOnlyList<ChatMessage> Messages, int PromptTokens, int HistoryMessagesUsed, int HistoryMessagesDropped)
{
    /// <summary>Tokens of the context sections (headings included), part of <see cref="PromptTokens"/>.</summary>
    public int ContextTokens { get; init; }

    /// <summary>The context lines included, in prompt order.</summary>
    public IReadOnlyList<ContextLine> ContextLines { get; init; } = [];
}
