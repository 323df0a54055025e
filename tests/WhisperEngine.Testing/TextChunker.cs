namespace WhisperEngine.Testing;

/// <summary>Splits reply text into streamed content chunks whose concatenation is the original text.</summary>
internal static class TextChunker
{
    /// <summary>
    /// Splits <paramref name="content"/> into <paramref name="chunks"/> pieces of near-equal length,
    /// or on words (each piece a word with its leading whitespace) when <paramref name="chunks"/> is 0.
    /// Never splits a surrogate pair and never yields an empty piece.
    /// </summary>
    public static IReadOnlyList<string> Split(string content, int chunks)
    {
        if (content.Length == 0)
        {
            return [];
        }

        return chunks == 0 ? SplitOnWords(content) : SplitEvenly(content, chunks);
    }

    private static List<string> SplitOnWords(string content)
    {
        var pieces = new List<string>();
        var start = 0;
        var i = 0;
        while (i < content.Length)
        {
            // A piece is leading whitespace followed by a run of non-whitespace.
            while (i < content.Length && char.IsWhiteSpace(content[i]))
            {
                i++;
            }

            while (i < content.Length && !char.IsWhiteSpace(content[i]))
            {
                i++;
            }

            pieces.Add(content[start..i]);
            start = i;
        }

        // Trailing whitespace alone forms a piece above; fold it into the previous one.
        if (pieces.Count > 1 && string.IsNullOrWhiteSpace(pieces[^1]))
        {
            pieces[^2] += pieces[^1];
            pieces.RemoveAt(pieces.Count - 1);
        }

        return pieces;
    }

    private static List<string> SplitEvenly(string content, int chunks)
    {
        var pieces = new List<string>(Math.Min(chunks, content.Length));
        var start = 0;
        for (var n = 1; n <= chunks && start < content.Length; n++)
        {
            var end = n == chunks ? content.Length : (int)((long)content.Length * n / chunks);
            if (end < content.Length && char.IsLowSurrogate(content[end]))
            {
                end++;
            }

            if (end > start)
            {
                pieces.Add(content[start..end]);
                start = end;
            }
        }

        return pieces;
    }
}
