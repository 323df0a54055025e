using System.Text;
using WhisperEngine.Core.Context;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// The facts a prompt may hold for one speaker in one place: the bot's global facts and the speaker's own active facts
/// that the place allows (<see cref="RecallScope.Allows"/>: a fact learnt in a direct message never reaches a public
/// channel), best first (confidence, then most recently confirmed), cut to a token budget.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FactPromptBuilder
{
    private const string BotHeader = "What is true about you (the character):";
    private const string UserHeader = "What you know about the person you are talking with (use it naturally; never recite it):";
    private const string ToldHeader = "What you have told this person about yourself:";

    private readonly IFactStore _store;
    private readonly ITokenCounter _tokens;
    private readonly FactOptions _options;

    public FactPromptBuilder(IFactStore store, ITokenCounter tokens, FactOptions options)
    {
        _store = store;
        _tokens = tokens;
        _options = options;
    }

    /// <summary>
    /// Builds the section for <paramref name="scope"/> within <paramref name="maxTokens"/> (default
    /// <see cref="FactOptions.MaxPromptTokens"/>). Two store reads, at once (a turn waits for one round trip, not
    /// two); no model call.
    /// </summary>
    public async ValueTask<FactPrompt> BuildAsync(RecallScope scope, int? maxTokens = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var budget = maxTokens ?? _options.MaxPromptTokens;
        var p = scope.Partition;
        var globalRead = _store.GetActiveAsync(FactOwner.Global(p.TenantId, p.BotId), cancellationToken).AsTask();
        var ownRead = _store.GetActiveAsync(FactOwner.Of(p), cancellationToken).AsTask();
        await Task.WhenAll(globalRead, ownRead);
        var global = await globalRead;
        var own = (await ownRead).Where(f => scope.Allows(f.Privacy, f.ChannelId));
        var ranked = global.Concat(own)
            .OrderByDescending(f => f.Confidence)
            .ThenByDescending(f => f.UpdatedAt)
            .ThenBy(f => f.Owner.IsGlobal ? 0 : 1)
            .ThenBy(f => f.Id)
            .ToList();
        if (ranked.Count == 0 || budget <= 0)
        {
            return ranked.Count == 0 ? FactPrompt.Empty : new FactPrompt("", 0, [], ranked.Count);
        }

        // Each section's header is paid for by its first fact.
        var taken = new List<FactRecord>();
        var used = 0;
        var opened = new HashSet<string>();
        foreach (var fact in ranked)
        {
            var header = Header(fact);
            var cost = _tokens.CountTokens(Line(fact)) + (opened.Contains(header) ? 0 : _tokens.CountTokens(header) + 1);
            if (used + cost > budget)
            {
                continue;
            }

            opened.Add(header);
            taken.Add(fact);
            used += cost;
        }

        if (taken.Count == 0)
        {
            return new FactPrompt("", 0, [], ranked.Count);
        }

        var text = new StringBuilder();
        foreach (var header in new[] { BotHeader, ToldHeader, UserHeader })
        {
            var facts = taken.Where(f => Header(f) == header).ToList();
            if (facts.Count == 0)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(header).Append('\n');
            foreach (var fact in facts)
            {
                text.Append(Line(fact)).Append('\n');
            }
        }

        var rendered = text.ToString().TrimEnd('\n');
        return new FactPrompt(rendered, _tokens.CountTokens(rendered), taken, ranked.Count - taken.Count);
    }

    /// <summary>One fact as a prompt line: <c>- lives in: Lisbon</c>; a note the person wrote is shown as written.</summary>
    public static string Line(FactRecord fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return fact.Key.StartsWith("note.", StringComparison.Ordinal)
            ? "- " + fact.Value
            : $"- {fact.Key.Replace('_', ' ').Replace('.', ' ')}: {fact.Value}";
    }

    /// <summary>The heading of the group <paramref name="fact"/> belongs to (the bot's facts, what it told the person, the person's facts).</summary>
    public static string Header(FactRecord fact) => fact.Owner.IsGlobal ? BotHeader : fact.Subject == FactSubject.Bot ? ToldHeader : UserHeader;
}
