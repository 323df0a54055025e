using System.Globalization;
using System.Text;

namespace WhisperEngine.Memory.Emotion;

/// <summary>
/// Labels the emotion of a chat message locally, with no model call: a lexicon of words, two-word phrases, emoji and
/// emoticons (<see cref="EmotionLexicon"/>), each with a weight, summed per emotion. A negator up to
/// <see cref="NegationWindow"/> words before an emotion word, in the same clause, turns joy into mild sadness
/// ("not happy") and cancels the others ("not worried"); an intensifier or dampener just before it scales it
/// ("really sad", "a bit annoyed"), as do capitals ("I'm SO ANGRY") and exclamation marks. The strongest emotion
/// wins when its score reaches <see cref="Threshold"/>; otherwise the message is neutral.
/// </summary>
/// <remarks>Stateless and thread-safe; a few microseconds per message.</remarks>
public sealed class EmotionClassifier
{
    /// <summary>Words before an emotion word in which a negator counts.</summary>
    public const int NegationWindow = 3;

    /// <summary>The score an emotion needs to be named (one ordinary word, unmodified).</summary>
    public const double Threshold = 1.0;

    /// <summary>The emotion of <paramref name="text"/>.</summary>
    public EmotionReading Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<double> scores = stackalloc double[Enum.GetValues<EmotionLabel>().Length];
        var tokens = Tokenize(text, scores);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Boundary)
            {
                continue;
            }

            (EmotionLabel Label, double Weight) entry;
            var length = 1;
            if (i + 1 < tokens.Count && !tokens[i + 1].Boundary && Find(token.Word + " " + tokens[i + 1].Word, out entry))
            {
                length = 2;
            }
            else if (!Find(token.Word, out entry))
            {
                continue;
            }

            var weight = entry.Weight * Modifier(tokens, i) * (token.Shouted ? 1.5 : 1.0);
            var label = entry.Label;
            if (length == 1 && Negated(tokens, i))
            {
                if (label != EmotionLabel.Joy)
                {
                    continue;
                }

                (label, weight) = (EmotionLabel.Sadness, weight * 0.5);
            }

            scores[(int)label] += weight;
            i += length - 1;
        }

        var exclamations = text.AsSpan().Count('!');
        var boost = 1 + (0.15 * Math.Min(exclamations, 3));
        var best = EmotionLabel.Neutral;
        var bestScore = 0.0;
        for (var l = 1; l < scores.Length; l++)
        {
            if (scores[l] * boost > bestScore)
            {
                best = (EmotionLabel)l;
                bestScore = scores[l] * boost;
            }
        }

        return bestScore >= Threshold ? new EmotionReading(best, Math.Min(1, bestScore / 3)) : EmotionReading.Neutral;
    }

    private static bool Find(string word, out (EmotionLabel Label, double Weight) entry)
    {
        if (EmotionLexicon.Words.TryGetValue(word, out entry))
        {
            return true;
        }

        // Stretched words: "sooo happpy", "yaaay".
        var twice = Collapse(word, 2);
        if (twice.Length != word.Length && EmotionLexicon.Words.TryGetValue(twice, out entry))
        {
            return true;
        }

        var once = Collapse(word, 1);
        return once.Length != word.Length && EmotionLexicon.Words.TryGetValue(once, out entry);
    }

    /// <summary>The product of the intensifiers and dampeners in the two words before <paramref name="index"/>.</summary>
    private static double Modifier(List<Token> tokens, int index)
    {
        var factor = 1.0;
        for (var j = index - 1; j >= Math.Max(0, index - 2) && !tokens[j].Boundary; j--)
        {
            var word = tokens[j].Word;
            if (EmotionLexicon.Modifiers.TryGetValue(word, out var m) || EmotionLexicon.Modifiers.TryGetValue(Collapse(word, 2), out m))
            {
                factor *= m;
            }
        }

        return Math.Clamp(factor, 0.25, 3);
    }

    private static bool Negated(List<Token> tokens, int index)
    {
        for (var j = index - 1; j >= Math.Max(0, index - NegationWindow); j--)
        {
            if (tokens[j].Boundary)
            {
                return false;
            }

            if (EmotionLexicon.Negators.Contains(tokens[j].Word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits into lower-case words (apostrophes kept) and clause boundaries; emoji and emoticons score directly.</summary>
    private static List<Token> Tokenize(string text, Span<double> scores)
    {
        var tokens = new List<Token>();
        var word = new StringBuilder();
        var upper = 0;
        var letters = 0;

        void Flush()
        {
            if (word.Length > 0)
            {
                tokens.Add(new Token(word.ToString().ToLowerInvariant(), false, letters >= 3 && upper == letters));
                word.Clear();
                upper = letters = 0;
            }
        }

        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (!char.IsLetterOrDigit(span[i]) && !char.IsWhiteSpace(span[i]) && MatchSymbol(span[i..], out var symbolLength, out var symbol))
            {
                Flush();
                scores[(int)symbol.Label] += symbol.Weight;
                i += symbolLength;
                continue;
            }

            var c = span[i];
            if (char.IsLetterOrDigit(c) || ((c is '\'' or '\u2019') && word.Length > 0))
            {
                word.Append(c == '\u2019' ? '\'' : c);
                if (char.IsLetter(c))
                {
                    letters++;
                    upper += char.IsUpper(c) ? 1 : 0;
                }
            }
            else
            {
                Flush();
                if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\n' || char.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol)
                {
                    tokens.Add(Token.Clause);
                }
            }

            i++;
        }

        Flush();
        return tokens;
    }

    private static bool MatchSymbol(ReadOnlySpan<char> rest, out int length, out (EmotionLabel Label, double Weight) symbol)
    {
        // Emoji are one or two UTF-16 units, sometimes with a variation selector; emoticons are two to three characters.
        var symbols = EmotionLexicon.Symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var n = Math.Min(3, rest.Length); n >= 1; n--)
        {
            if (symbols.TryGetValue(rest[..n], out symbol))
            {
                length = n;
                return true;
            }
        }

        length = 0;
        symbol = default;
        return false;
    }

    private static string Collapse(string word, int keep)
    {
        var result = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            var run = 0;
            for (var k = result.Length - 1; k >= 0 && result[k] == c; k--)
            {
                run++;
            }

            if (run < keep)
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private sealed record Token(string Word, bool Boundary, bool Shouted)
    {
        public static Token Clause { get; } = new("", true, false);
    }
}
