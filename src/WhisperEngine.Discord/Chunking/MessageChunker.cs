namespace WhisperEngine.Discord.Chunking;

/// <summary>
/// Splits a reply into messages that fit Discord's length limit, cutting where a reader expects a pause:
/// between paragraphs, else between lines, else after a sentence, else between words, and only as a last resort
/// inside a word (never between the halves of a surrogate pair). A fenced code block is kept whole; one longer
/// than the limit is split between its lines, each part closed and reopened with the same language tag so
/// every message renders as code.
/// </summary>
/// <remarks>Pure and thread-safe. Lengths are UTF-16 code units, which never undercounts what Discord counts.</remarks>
public static partial class MessageChunker
{
    /// <summary>Discord's limit on the content of one message.</summary>
    public const int DiscordLimit = 2000;

    /// <summary>The smallest limit accepted: room for a fence, a language tag and some code.</summary>
    public const int MinimumLimit = 32;

    private const string Fence = "```";

    /// <summary>
    /// Splits <paramref name="text"/> into chunks of at most <paramref name="limit"/> characters, in order.
    /// Never returns an empty or whitespace-only chunk; returns no chunks for blank text.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int limit = DiscordLimit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, MinimumLimit);

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = CodeBlock.FindAll(text);
        var chunks = new List<string>();
        var next = 0;
        var start = SkipSeparators(text, 0);
        while (start < text.Length)
        {
            while (next < blocks.Count && blocks[next].End <= start)
            {
                next++;
            }

            if (next < blocks.Count && blocks[next].Length > limit && text.AsSpan(start, Math.Max(0, blocks[next].Start - start)).IsWhiteSpace())
            {
                SplitCodeBlock(text, blocks[next], limit, chunks);
                start = SkipSeparators(text, blocks[next].End);
                continue;
            }

            if (text.Length - start <= limit)
            {
                Add(chunks, text[start..]);
                break;
            }

            var cut = FindCut(text, start, limit, blocks, next);
            Add(chunks, text[start..cut]);
            start = SkipSeparators(text, cut < text.Length && text[cut] is ' ' or '\t' ? cut + 1 : cut);
        }

        return chunks;
    }

    /// <summary>The best place to end a chunk that starts at <paramref name="start"/>: the last break of the highest rank.</summary>
    private static int FindCut(string text, int start, int limit, List<CodeBlock> blocks, int firstBlock)
    {
        Span<int> best = [-1, -1, -1, -1, -1];
        var end = start + limit;
        var block = firstBlock;
        var seenText = false;
        for (var i = start; i <= end; i++)
        {
            while (block < blocks.Count && blocks[block].End <= i)
            {
                block++;
            }

            var c = text[i];
            var inside = block < blocks.Count && blocks[block].Contains(i);
            if (i > start && seenText && !inside)
            {
                var rank = Rank(text, i);
                if (rank > 0)
                {
                    best[rank] = i;
                }
            }

            seenText |= !char.IsWhiteSpace(c);
        }

        for (var rank = best.Length - 1; rank > 0; rank--)
        {
            if (best[rank] > 0)
            {
                return best[rank];
            }
        }

        // One unbroken run longer than the limit (a URL, a hash): cut it, but not inside a surrogate pair.
        return char.IsLowSurrogate(text[end]) ? end - 1 : end;
    }

    /// <summary>4 paragraph, 3 line, 2 sentence, 1 word, 0 no break before index <paramref name="i"/>.</summary>
    private static int Rank(string text, int i)
    {
        switch (text[i])
        {
            case '\n':
                return IsBlankLineAfter(text, i) ? 4 : 3;
            case ' ' or '\t':
                return IsSentenceEnd(text, i - 1) ? 2 : 1;
            default:
                return 0;
        }
    }

    private static bool IsBlankLineAfter(string text, int newline)
    {
        var j = newline + 1;
        while (j < text.Length && text[j] is ' ' or '\t')
        {
            j++;
        }

        return j < text.Length && text[j] == '\n';
    }

    private static bool IsSentenceEnd(string text, int i)
    {
        // "Done." "Really?!" "(as she said.)" "“Stop!”"
        while (i > 0 && text[i] is ')' or '"' or '\'' or '”' or '’' or '*' or '_')
        {
            i--;
        }

        return i >= 0 && text[i] is '.' or '!' or '?' or '…' or '。' or '！' or '？';
    }

    /// <summary>Skips the newlines (and whitespace-only lines) between two chunks, keeping the next line's indentation.</summary>
    private static int SkipSeparators(string text, int i)
    {
        while (i < text.Length)
        {
            if (text[i] == '\n')
            {
                i++;
                continue;
            }

            var j = i;
            while (j < text.Length && text[j] is ' ' or '\t')
            {
                j++;
            }

            if (j == text.Length)
            {
                return j;
            }

            if (text[j] != '\n')
            {
                break;
            }

            i = j + 1;
        }

        return i;
    }

    private static void Add(List<string> chunks, string chunk)
    {
        chunk = chunk.TrimEnd();
        if (!string.IsNullOrWhiteSpace(chunk))
        {
            chunks.Add(chunk);
        }
    }
}
