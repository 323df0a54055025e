using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Memory.Clustering;

/// <summary>
/// Names clusters by their most distinctive words: for each word, the share of the cluster's memories that use it
/// times its inverse document frequency over the partition (class-based TF-IDF); the top few, found in at least two
/// memories of the cluster, joined by commas ("pottery, clay, bowl").
/// </summary>
public static class ClusterLabeler
{
    /// <summary>One label per cluster (empty when no word qualifies).</summary>
    /// <param name="texts">The text of each memory.</param>
    /// <param name="assignment">The cluster of each memory (same order), 0 to <paramref name="k"/>-1.</param>
    /// <param name="k">Number of clusters.</param>
    /// <param name="words">Words per label.</param>
    public static string[] Label(IReadOnlyList<string> texts, IReadOnlyList<int> assignment, int k, int words = 3)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(assignment);
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusterFrequency = new Dictionary<string, int>[k];
        var sizes = new int[k];
        for (var c = 0; c < k; c++)
        {
            clusterFrequency[c] = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        for (var i = 0; i < texts.Count; i++)
        {
            var c = assignment[i];
            sizes[c]++;
            foreach (var term in KeywordTerms.Extract(texts[i]))
            {
                if (term.Length < 3 || char.IsDigit(term[0]))
                {
                    continue;
                }

                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
                clusterFrequency[c][term] = clusterFrequency[c].GetValueOrDefault(term) + 1;
            }
        }

        var labels = new string[k];
        for (var c = 0; c < k; c++)
        {
            var size = Math.Max(1, sizes[c]);
            labels[c] = string.Join(", ", clusterFrequency[c]
                .Where(t => t.Value >= 2)
                .Select(t => (Term: t.Key, Score: (double)t.Value / size * Math.Log((double)texts.Count / documentFrequency[t.Key])))
                .Where(t => t.Score > 0)
                .OrderByDescending(t => t.Score)
                .ThenBy(t => t.Term, StringComparer.Ordinal)
                .Take(words)
                .Select(t => t.Term));
        }

        return labels;
    }
}
