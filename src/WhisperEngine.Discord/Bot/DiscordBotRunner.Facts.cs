using System.Globalization;
using System.Text;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Discord.Model;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Discord.Bot;

/// <summary>
/// The facts commands. A person sees and changes only their own facts (the author of the message, never anyone named
/// in it), and only those this place allows: a fact learnt in a direct message is neither listed nor numbered in a
/// server channel. Admins manage the bot's global facts (<c>facts global ...</c>).
/// </summary>
public sealed partial class DiscordBotRunner
{
    private const int MaxListed = 50;

    private async Task<string> FactsCommandAsync(DiscordMessage message, string arguments, CancellationToken cancellationToken)
    {
        var p = _options.CommandPrefix;
        if (_facts is null)
        {
            return "I don't keep facts in this setup (the store has none), so nothing was listed, added or removed.";
        }

        var (verb, rest) = Split(arguments);
        if (verb == "global")
        {
            if (!_options.AdminUserIds.Contains(message.Author.Id))
            {
                BotLog.AdminRefused(_logger, BotId, "facts global", message.Author.Id);
                return $"Sorry, {p}facts global is only for the admins of this bot.";
            }

            var (globalVerb, text) = Split(rest);
            var global = FactOwner.Global(_options.Bot.TenantId, _options.Bot.Id);
            return await FactVerbAsync(global, null, globalVerb, text, message, "my global facts", cancellationToken);
        }

        var scope = await ScopeOfAsync(message, cancellationToken);
        return await FactVerbAsync(FactOwner.Of(scope.Partition), scope, verb, rest, message, "what I know about you", cancellationToken);
    }

    private async Task<string> FactVerbAsync(FactOwner owner, RecallScope? scope, string verb, string text, DiscordMessage message, string what,
        CancellationToken cancellationToken)
    {
        var p = _options.CommandPrefix;
        var command = owner.IsGlobal ? $"{p}facts global" : $"{p}facts";
        switch (verb)
        {
            case "":
            case "list":
                var (shown, hidden) = await VisibleFactsAsync(owner, scope, cancellationToken);
                if (shown.Count == 0)
                {
                    return (owner.IsGlobal ? "I have no global facts yet." : "I don't keep any facts about you yet.") +
                        Hidden(hidden) + $" Add one with {command} add <text>.";
                }

                var list = new StringBuilder(owner.IsGlobal ? "My global facts:" : "What I know about you:");
                foreach (var (listed, i) in shown.Take(MaxListed).Select((f, i) => (f, i + 1)))
                {
                    list.Append('\n').Append(i.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(FactPromptBuilder.Line(listed)[2..]);
                }

                list.Append(shown.Count > MaxListed ? $"\n(and {shown.Count - MaxListed} more)" : "").Append(Hidden(hidden));
                return list.Append($"\n{command} remove <n> deletes one.").ToString();
            case "add":
                NewFact fact;
                try
                {
                    fact = FactInput.FromText(text, null, owner.IsGlobal ? FactSubject.Bot : FactSubject.User,
                        owner.IsGlobal ? FactSources.Admin : FactSources.User,
                        owner.IsGlobal ? PrivacyLevel.PublicChannel : scope!.Privacy, message.ChannelId);
                }
                catch (ArgumentException)
                {
                    return text.Trim().Length == 0
                        ? $"Tell me what to keep: {command} add <text>, e.g. {command} add I'm allergic to peanuts."
                        : $"That is too long for a fact: keep it under {FactRules.MaxValueLength} characters.";
                }

                var stored = await _facts!.AddAsync(owner, fact, cancellationToken);
                return $"Noted: {stored.Value}" + (owner.IsGlobal ? " (for every conversation)." : $" ({command} lists {what}).");
            case "remove" or "delete" or "forget":
                if (!int.TryParse(text.Trim().TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    return $"Say which one: {command} remove <number>, as {command} lists them.";
                }

                var (facts, _) = await VisibleFactsAsync(owner, scope, cancellationToken);
                if (n > facts.Count)
                {
                    return facts.Count == 0 ? "There is no fact to remove here." : $"There is no fact {n}: {command} lists {facts.Count}.";
                }

                var target = facts[n - 1];
                return await _facts!.DeleteAsync(owner, target.Id, cancellationToken)
                    ? $"Removed: {FactPromptBuilder.Line(target)[2..]}"
                    : "That fact changed meanwhile; nothing was removed. Look again with " + command + ".";
            default:
                return $"{command} lists {what}; {command} add <text> adds a fact; {command} remove <n> deletes one.";
        }
    }

    /// <summary>The owner's active facts this place allows (oldest first, so numbers stay put), and how many others there are.</summary>
    private async Task<(List<FactRecord> Shown, int Hidden)> VisibleFactsAsync(FactOwner owner, RecallScope? scope, CancellationToken cancellationToken)
    {
        var all = await _facts!.GetActiveAsync(owner, cancellationToken);
        var shown = scope is null ? [.. all] : all.Where(f => scope.Allows(f.Privacy, f.ChannelId)).ToList();
        return (shown, all.Count - shown.Count);
    }

    private async Task<string> FactCountAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        if (_facts is null)
        {
            return "";
        }

        var scope = await ScopeOfAsync(message, cancellationToken);
        var (shown, hidden) = await VisibleFactsAsync(FactOwner.Of(scope.Partition), scope, cancellationToken);
        var total = shown.Count + hidden;
        return $" and keep {total} fact{(total == 1 ? "" : "s")} about you ({_options.CommandPrefix}facts lists {(hidden > 0 ? "those I may show here" : "them")})";
    }

    /// <summary>The speaker's partition and the privacy of this place: the same rule as the turn's (so a command shows what a reply may use).</summary>
    private ValueTask<RecallScope> ScopeOfAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(RecallScope.Of(KeyOf(message), message.IsDirect ? PrivacyLevel.DirectMessage : PrivacyLevel.PublicChannel));
    }

    private static string Hidden(int hidden) =>
        hidden == 0 ? "" : $"\n({hidden} more I learnt in private are only shown in a direct message.)";

    private static (string Verb, string Remainder) Split(string arguments)
    {
        var text = arguments.Trim();
        var space = text.IndexOfAny([' ', '\n', '\t']);
        return space < 0 ? (text.ToLowerInvariant(), "") : (text[..space].ToLowerInvariant(), text[(space + 1)..].Trim());
    }
}
