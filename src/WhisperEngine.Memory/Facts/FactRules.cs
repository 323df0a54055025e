using System.Text;

namespace WhisperEngine.Memory.Facts;

/// <summary>What every fact store checks before writing, so that no backend stores a fact another would refuse.</summary>
public static class FactRules
{
    /// <summary>Longest value, in characters: a fact is one short statement, not a memory.</summary>
    public const int MaxValueLength = 500;

    /// <summary>Longest retirement reason kept, in characters.</summary>
    public const int MaxReasonLength = 300;

    /// <summary>The fact with its key normalised and its value trimmed; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static NewFact Validated(NewFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var key = FactKey.Normalize(fact.Key)
            ?? throw new ArgumentException($"The fact key '{fact.Key}' has no letters or digits.", nameof(fact));
        var value = fact.Value?.Trim() ?? "";
        if (value.Length == 0)
        {
            throw new ArgumentException($"The fact '{key}' has an empty value.", nameof(fact));
        }

        if (value.Length > MaxValueLength)
        {
            throw new ArgumentException($"The value of fact '{key}' is {value.Length} characters; at most {MaxValueLength} are kept.", nameof(fact));
        }

        if (!double.IsFinite(fact.Confidence) || fact.Confidence is < 0 or > 1)
        {
            throw new ArgumentException($"The confidence of fact '{key}' is {fact.Confidence}; expected 0 to 1.", nameof(fact));
        }

        if (string.IsNullOrWhiteSpace(fact.Source))
        {
            throw new ArgumentException($"The fact '{key}' has no source.", nameof(fact));
        }

        if (!Enum.IsDefined(fact.Subject) || !Enum.IsDefined(fact.Privacy))
        {
            throw new ArgumentException($"The fact '{key}' has an unknown subject or privacy level.", nameof(fact));
        }

        ArgumentNullException.ThrowIfNull(fact.ChannelId);
        return fact with { Key = key, Value = value };
    }

    /// <summary>Checks an owner: ids non-empty (a global owner has no user id).</summary>
    public static void Check(FactOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (string.IsNullOrEmpty(owner.TenantId) || string.IsNullOrEmpty(owner.BotId) || owner.UserId is { Length: 0 })
        {
            throw new ArgumentException($"The fact owner {owner} has an empty tenant, bot or user id.", nameof(owner));
        }
    }

    /// <summary>Checks a batch before anything is written: every operation well formed, no fact targeted twice.</summary>
    public static IReadOnlyList<FactOperation> Validated(IReadOnlyList<FactOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var targets = new HashSet<long>();
        var result = new List<FactOperation>(operations.Count);
        foreach (var operation in operations)
        {
            ArgumentNullException.ThrowIfNull(operation);
            if (operation.Kind != FactOperationKind.Add)
            {
                if (operation.TargetId is not { } target)
                {
                    throw new ArgumentException($"A {operation.Kind} operation names no fact.", nameof(operations));
                }

                if (!targets.Add(target))
                {
                    throw new ArgumentException($"Fact {target} is the target of two operations in one batch.", nameof(operations));
                }
            }

            var reason = operation.Reason is { Length: > MaxReasonLength } r ? r[..MaxReasonLength] : operation.Reason;
            result.Add(operation.Kind == FactOperationKind.Retire
                ? operation with { Fact = null, Reason = reason }
                : operation with { Fact = Validated(operation.Fact ?? throw new ArgumentException($"A {operation.Kind} operation has no fact.", nameof(operations))), Reason = reason });
        }

        return result;
    }

    /// <summary>True when two values say the same thing (case, spacing and final punctuation aside): a confirmation, not a change.</summary>
    public static bool SameValue(string a, string b) => string.Equals(Comparable(a), Comparable(b), StringComparison.OrdinalIgnoreCase);

    private static string Comparable(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var word in value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(word);
        }

        return builder.ToString().TrimEnd('.', '!', ';', ',');
    }

    /// <summary>Throws when <paramref name="mark"/> is not of a conversation of <paramref name="owner"/> (a global owner has none).</summary>
    public static void CheckMark(FactOwner owner, ExtractionMark? mark)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (mark is null)
        {
            return;
        }

        var c = mark.Conversation;
        if (owner.IsGlobal || c.TenantId != owner.TenantId || c.BotId != owner.BotId || c.UserId != owner.UserId)
        {
            throw new ArgumentException($"The extraction mark of {c} does not belong to {owner}.", nameof(mark));
        }
    }
}
