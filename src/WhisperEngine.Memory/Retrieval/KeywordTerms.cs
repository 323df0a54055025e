using System.Collections.Frozen;

namespace WhisperEngine.Memory.Retrieval;

/// <summary>
/// The searchable words of free text for a keyword index: lower-cased runs of letters and digits, without English
/// function words ("what", "did", "the") that would match every memory and carry no topic.
/// </summary>
public static class KeywordTerms
{
    private static readonly FrozenSet<string> Stopwords = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "else", "ever", "few", "for", "from", "further", "get", "got", "had",
        "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "let", "like", "me", "might", "more", "most", "much", "must", "my",
        "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
        "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose",
        "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "ll", "re", "ve", "d", "s", "t", "m",
        "don", "didn", "doesn", "isn", "wasn", "weren", "won", "wouldn", "couldn", "shouldn", "hasn", "haven", "hadn", "aren",
        "kind", "likely", "yes", "ok", "okay",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The distinct searchable words of <paramref name="text"/>, in order of first appearance.</summary>
    public static IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                start = -1;
                if (!Stopwords.Contains(word) && seen.Add(word))
                {
                    terms.Add(word);
                }
            }
        }

        return terms;
    }
}
