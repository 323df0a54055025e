using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Core.Input;

/// <summary>
/// Checks and cleans a user's message before anything is stored: size cap, control characters and unpaired
/// surrogates (what invalid UTF-8 decodes into) removed, chat-template tokens neutralised, injection phrases flagged.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed partial class InputValidator
{
    private readonly int _maxChars;

    public InputValidator(int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        _maxChars = maxChars;
    }

    /// <summary>Validates <paramref name="text"/>; throws <see cref="TurnException"/> with <see cref="TurnErrorKind.InvalidInput"/> when it cannot be used.</summary>
    public ValidatedInput Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TurnException(TurnErrorKind.InvalidInput, "The message is empty.");
        }

        if (text.Length > _maxChars * 4)
        {
            // Refuse before doing any work on absurdly large input.
            throw new TurnException(TurnErrorKind.InvalidInput, $"The message has {text.Length} characters; the limit is {_maxChars}.");
        }

        var flags = MessageFlags.None;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }

            if (c == '\r')
            {
                // Windows line endings are normal input, not something to flag.
                continue;
            }

            if (char.IsSurrogate(c) || c == '\uFFFD' || c == '\uFEFF' ||
                (char.IsControl(c) && c is not '\n' and not '\t') ||
                (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && c is not '\u200D'))
            {
                flags |= MessageFlags.Cleaned;
                continue;
            }

            sb.Append(c);
        }

        var cleaned = sb.ToString().Trim();
        if (cleaned.Normalize(NormalizationForm.FormC) is var normalized && normalized != cleaned)
        {
            cleaned = normalized;
        }

        if (cleaned.Length == 0)
        {
            throw new TurnException(TurnErrorKind.InvalidInput, "The message has no readable text after removing control characters.");
        }

        if (cleaned.Length > _maxChars)
        {
            throw new TurnException(TurnErrorKind.InvalidInput, $"The message has {cleaned.Length} characters; the limit is {_maxChars}.");
        }

        // Chat-template control tokens are never legitimate user text: break them so no model parses them.
        var neutralised = TemplateTokens().Replace(cleaned, m => m.Value.Replace("|", "\u00A6", StringComparison.Ordinal));
        if (!ReferenceEquals(neutralised, cleaned) && neutralised != cleaned)
        {
            flags |= MessageFlags.InjectionSuspected;
            cleaned = neutralised;
        }

        if (InjectionPhrases().IsMatch(cleaned))
        {
            flags |= MessageFlags.InjectionSuspected;
        }

        return new ValidatedInput(cleaned, flags);
    }

    [GeneratedRegex(@"<\|[a-z_]{2,24}\|>", RegexOptions.IgnoreCase)]
    private static partial Regex TemplateTokens();

    [GeneratedRegex(
        @"ignore (all |any )?(the )?(previous|prior|above) (instructions|prompts?|rules)|disregard (your|the|all) (instructions|rules|system prompt)|" +
        @"(reveal|print|show|repeat) (me )?(your|the) (system prompt|instructions|initial prompt)|^\s*(system|assistant)\s*:|\[/?INST\]|###\s*(system|instruction)",
        RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex InjectionPhrases();
}
