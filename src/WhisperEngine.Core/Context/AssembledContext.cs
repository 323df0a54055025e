using Microsoft.Extensions.AI;

namespace WhisperEngine.Core.Context;

/// <summary>The prompt for one model call.</summary>
/// <param name="Messages">System message first, then alternating user/assistant turns ending with the user.</param>
/// <param name="PromptTokens">Tokens counted for the prompt (with per-message overhead).</param>
/// <param name="HistoryMessagesUsed">Stored messages included.</param>
/// <param name="HistoryMessagesDropped">Stored messages left out to stay under the budget.</param>
public sealed record AssembledContext(IReadOnlyList<ChatMessage> Messages, int PromptTokens, int HistoryMessagesUsed, int HistoryMessagesDropped);
