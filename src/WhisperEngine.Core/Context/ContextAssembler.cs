using Microsoft.Extensions.AI;
using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Core.Context;

/// <summary>
/// Builds the prompt under a token budget: the system prompt and the newest user message always, then as much
/// recent history as fits, newest first. Roles alternate: consecutive messages of one role (a turn whose reply
/// failed) are merged, and the history never starts with an assistant message.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class ContextAssembler
{
    /// <summary>Tokens a chat format adds per message (role markers), as OpenAI documents for its models.</summary>
    public const int PerMessageOverhead = 4;

    private readonly ITokenCounter _tokens;

    public ContextAssembler(ITokenCounter tokens) => _tokens = tokens;

    /// <summary>Assembles the prompt.</summary>
    /// <param name="systemPrompt">The character's system prompt.</param>
    /// <param name="systemPromptTokens">Its token count (cached by the caller).</param>
    /// <param name="history">Stored messages, oldest first, ending with the current user message.</param>
    /// <param name="maxPromptTokens">The budget for the whole prompt.</param>
    public AssembledContext Assemble(string systemPrompt, int systemPromptTokens, IReadOnlyList<StoredMessage> history, int maxPromptTokens)
    {
        // Merge runs of one role first so that alternation holds whatever is cut later.
        var turns = MergeRuns(history);
        var used = systemPromptTokens + PerMessageOverhead;
        var selected = new List<(MessageRole Role, string Text, int Tokens, int Count)>();
        var dropped = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var turn = turns[i];
            var cost = turn.Tokens + PerMessageOverhead;
            if (selected.Count == 0 || used + cost <= maxPromptTokens)
            {
                // The newest message is always sent; the input cap keeps it inside any sane budget.
                selected.Add(turn);
                used += cost;
            }
            else
            {
                for (var j = i; j >= 0; j--)
                {
                    dropped += turns[j].Count;
                }

                break;
            }
        }

        selected.Reverse();
        while (selected.Count > 1 && selected[0].Role == MessageRole.Assistant)
        {
            used -= selected[0].Tokens + PerMessageOverhead;
            dropped += selected[0].Count;
            selected.RemoveAt(0);
        }

        var messages = new List<ChatMessage>(selected.Count + 1) { new(ChatRole.System, systemPrompt) };
        var usedMessages = 0;
        foreach (var turn in selected)
        {
            messages.Add(new ChatMessage(turn.Role == MessageRole.User ? ChatRole.User : ChatRole.Assistant, turn.Text));
            usedMessages += turn.Count;
        }

        return new AssembledContext(messages, used, usedMessages, dropped);
    }

    private static List<(MessageRole Role, string Text, int Tokens, int Count)> MergeRuns(IReadOnlyList<StoredMessage> history)
    {
        var turns = new List<(MessageRole Role, string Text, int Tokens, int Count)>(history.Count);
        foreach (var message in history)
        {
            if (string.IsNullOrEmpty(message.Content))
            {
                continue;
            }

            if (turns.Count > 0 && turns[^1].Role == message.Role)
            {
                var last = turns[^1];
                turns[^1] = (last.Role, last.Text + "\n\n" + message.Content, last.Tokens + message.TokenCount + 1, last.Count + 1);
            }
            else
            {
                turns.Add((message.Role, message.Content, message.TokenCount, 1));
            }
        }

        return turns;
    }
}
