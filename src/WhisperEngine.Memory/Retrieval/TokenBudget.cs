namespace WhisperEngine.Memory.Retrieval;

/// <summary>Cuts a ranking to a number of items and a token budget.</summary>
internal static class TokenBudget
{
    /// <summary>
    /// Takes items best first while they fit. An item too large for what is left is skipped and smaller ones after it
    /// may still fit: one long memory does not crowd out everything below it.
    /// </summary>
    public static List<T> Take<T>(IEnumerable<T> ranked, Func<T, int> tokens, int maxItems, int? maxTokens, out int used)
    {
        var taken = new List<T>(Math.Min(Math.Max(maxItems, 0), 64));
        used = 0;
        if (maxItems <= 0)
        {
            return taken;
        }

        foreach (var item in ranked)
        {
            var cost = tokens(item);
            if (maxTokens is { } budget && used + cost > budget)
            {
                continue;
            }

            taken.Add(item);
            used += cost;
            if (taken.Count == maxItems || (maxTokens is { } b && used >= b))
            {
                break;
            }
        }

        return taken;
    }
}
