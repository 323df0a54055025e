using System.Text;
using Microsoft.Extensions.AI;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Recall;

namespace WhisperEngine.Core.Context;

/// <summary>
/// Builds the prompt under a token budget: the system prompt and the newest user message always; then context
/// sections (recalled memories, relationship, ...) within their own share of the budget, appended to the system
/// message; then as much recent history as fits, newest first. A section line made from a message that is already
/// in the history sent is left out. Roles alternate: consecutive messages of one role (a turn whose reply failed)
/// are merged, and the history never starts with an assistant message.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class ContextAssembler
{
    /// <summary>Tokens a chat format adds per message (role markers), as OpenAI documents for its models.</summary>
    public const int PerMessageOverhead = 4;

    private readonly ITokenCounter _tokens;

    public ContextAssembler(ITokenCounter tokens) => _tokens = tokens;

    /// <summary>Assembles the prompt without context sections.</summary>
    /// <param name="systemPrompt">The character's system prompt.</param>
    /// <param name="systemPromptTokens">Its token count (cached by the caller).</param>
    /// <param name="history">Stored messages, oldest first, ending with the current user message.</param>
    /// <param name="maxPromptTokens">The budget for the whole prompt.</param>
    public AssembledContext Assemble(string systemPrompt, int systemPromptTokens, IReadOnlyList<StoredMessage> history, int maxPromptTokens) =>
        Assemble(systemPrompt, systemPromptTokens, history, maxPromptTokens, [], 0);

    /// <summary>Assembles the prompt with context sections.</summary>
    /// <param name="systemPrompt">The character's system prompt.</param>
    /// <param name="systemPromptTokens">Its token count (cached by the caller).</param>
    /// <param name="history">Stored messages, oldest first, ending with the current user message.</param>
    /// <param name="maxPromptTokens">The budget for the whole prompt.</param>
    /// <param name="sections">Context sections, each with its lines best first.</param>
    /// <param name="maxSectionTokens">The share of <paramref name="maxPromptTokens"/> the sections may take together.</param>
    public AssembledContext Assemble(string systemPrompt, int systemPromptTokens, IReadOnlyList<StoredMessage> history, int maxPromptTokens,
        IReadOnlyList<ContextSection> sections, int maxSectionTokens)
    {
        ArgumentNullException.ThrowIfNull(sections);
        // Merge runs of one role first so that alternation holds whatever is cut later.
        var turns = MergeRuns(history);
        var fixedCost = systemPromptTokens + PerMessageOverhead;
        var newest = turns.Count > 0 ? turns[^1].Tokens + PerMessageOverhead : 0;
        var sectionBudget = Math.Max(0, Math.Min(maxSectionTokens, maxPromptTokens - fixedCost - newest));
        var ordered = sections.Where(s => s.Lines.Count > 0).OrderBy(s => s.Order).ToList();

        var fit = Fit(ordered, sectionBudget, null);
        var window = SelectHistory(turns, maxPromptTokens - fixedCost - fit.Tokens);
        if (fit.Tokens > 0)
        {
            // Lines already said in the history window are left out; what they free goes to older history, and
            // lines repeated by that older history are left out as well (which only frees more).
            var refit = Fit(ordered, fit.Tokens, Shown(turns, window));
            if (refit.Tokens < fit.Tokens)
            {
                window = SelectHistory(turns, maxPromptTokens - fixedCost - refit.Tokens);
                refit = Fit(ordered, refit.Tokens, Shown(turns, window));
            }

            fit = refit;
        }

        var system = fit.Lines.Count == 0 ? systemPrompt : systemPrompt + Render(fit);
        var messages = new List<ChatMessage>(window.Count + 1) { new(ChatRole.System, system) };
        var used = fixedCost + fit.Tokens;
        var usedMessages = 0;
        foreach (var index in window.Selected)
        {
            var turn = turns[index];
            messages.Add(new ChatMessage(turn.Role == MessageRole.User ? ChatRole.User : ChatRole.Assistant, turn.Text));
            used += turn.Tokens + PerMessageOverhead;
            usedMessages += turn.Sources.Count;
        }

        return new AssembledContext(messages, used, usedMessages, window.Dropped)
        {
            ContextTokens = fit.Tokens,
            ContextLines = [.. fit.Lines.Select(l => l.Line)],
        };
    }

    /// <summary>The newest turns that fit <paramref name="budget"/> (the newest always), oldest first, never starting with the character.</summary>
    private static HistoryWindow SelectHistory(List<Turn> turns, int budget)
    {
        var selected = new List<int>();
        var used = 0;
        var dropped = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var cost = turns[i].Tokens + PerMessageOverhead;
            if (selected.Count == 0 || used + cost <= budget)
            {
                // The newest message is always sent; the input cap keeps it inside any sane budget.
                selected.Add(i);
                used += cost;
            }
            else
            {
                for (var j = i; j >= 0; j--)
                {
                    dropped += turns[j].Sources.Count;
                }

                break;
            }
        }

        selected.Reverse();
        while (selected.Count > 1 && turns[selected[0]].Role == MessageRole.Assistant)
        {
            dropped += turns[selected[0]].Sources.Count;
            selected.RemoveAt(0);
        }

        return new HistoryWindow(selected, dropped);
    }

    private static HashSet<string> Shown(List<Turn> turns, HistoryWindow window)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in window.Selected)
        {
            shown.UnionWith(turns[index].Sources);
        }

        return shown;
    }

    /// <summary>Takes lines best first, section by section, while they fit; a heading costs tokens only when a line of its section is taken.</summary>
    private SectionFit Fit(List<ContextSection> sections, int budget, HashSet<string>? shown)
    {
        var lines = new List<(ContextSection Section, ContextLine Line)>();
        var used = 0;
        foreach (var section in sections)
        {
            var heading = HeadingTokens(section);
            var opened = false;
            foreach (var line in section.Lines)
            {
                if (line.Source is { } source && shown?.Contains(source) == true)
                {
                    continue;
                }

                var cost = line.Tokens + 1 + (opened ? 0 : heading);
                if (used + cost > budget)
                {
                    continue;
                }

                lines.Add((section, line));
                used += cost;
                opened = true;
            }
        }

        return new SectionFit(lines, used);
    }

    private int HeadingTokens(ContextSection section) => _tokens.CountTokens(section.Title) + 3;

    private static string Render(SectionFit fit)
    {
        var text = new StringBuilder();
        ContextSection? current = null;
        foreach (var (section, line) in fit.Lines)
        {
            if (!ReferenceEquals(section, current))
            {
                text.Append("\n\n## ").Append(section.Title).Append('\n');
                current = section;
            }
            else
            {
                text.Append('\n');
            }

            text.Append(line.Text);
        }

        return text.ToString();
    }

    private static List<Turn> MergeRuns(IReadOnlyList<StoredMessage> history)
    {
        var turns = new List<Turn>(history.Count);
        foreach (var message in history)
        {
            if (string.IsNullOrEmpty(message.Content))
            {
                continue;
            }

            if (turns.Count > 0 && turns[^1].Role == message.Role)
            {
                var last = turns[^1];
                last.Sources.Add(message.Content);
                turns[^1] = last with { Text = last.Text + "\n\n" + message.Content, Tokens = last.Tokens + message.TokenCount + 1 };
            }
            else
            {
                turns.Add(new Turn(message.Role, message.Content, message.TokenCount, [message.Content]));
            }
        }

        return turns;
    }

    private sealed record Turn(MessageRole Role, string Text, int Tokens, List<string> Sources);

    private sealed record HistoryWindow(List<int> Selected, int Dropped)
    {
        public int Count => Selected.Count;
    }

    private sealed record SectionFit(List<(ContextSection Section, ContextLine Line)> Lines, int Tokens);
}
