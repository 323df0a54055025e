namespace WhisperEngine.Discord.Chunking;

/// <summary>A fenced code block in a reply: <c>```lang</c> ... <c>```</c>.</summary>
/// <param name="Start">Index of the opening fence.</param>
/// <param name="End">Index just past the closing fence (the end of the text when the block is never closed).</param>
/// <param name="Language">The tag after the opening fence, possibly empty.</param>
/// <param name="BodyStart">Index of the first character of the code.</param>
/// <param name="BodyEnd">Index just past the last character of the code.</param>
internal readonly record struct CodeBlock(int Start, int End, string Language, int BodyStart, int BodyEnd)
{
    private const string Fence = "```";

    public int Length => End - Start;

    /// <summary>Whether index <paramref name="i"/> lies strictly inside the block, where a cut would break it.</summary>
    public bool Contains(int i) => i > Start && i < End;

    /// <summary>Finds the fenced blocks of <paramref name="text"/> (line endings already <c>\n</c>), in order.</summary>
    public static List<CodeBlock> FindAll(string text)
    {
        var blocks = new List<CodeBlock>();
        var open = -1;
        var bodyStart = 0;
        var language = "";
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            var indent = line.Length - line.TrimStart(" \t").Length;
            if (open < 0)
            {
                if (line[indent..].StartsWith(Fence, StringComparison.Ordinal))
                {
                    var rest = line[(indent + Fence.Length)..];
                    var close = rest.IndexOf(Fence, StringComparison.Ordinal);
                    if (close >= 0)
                    {
                        // ```inline``` on one line: atomic, but nothing to reopen.
                        var fenceEnd = lineStart + indent + Fence.Length + close + Fence.Length;
                        blocks.Add(new CodeBlock(lineStart + indent, fenceEnd, "", lineStart + indent + Fence.Length, fenceEnd - Fence.Length));
                    }
                    else
                    {
                        open = lineStart + indent;
                        language = rest.Trim().ToString();
                        bodyStart = Math.Min(lineEnd + 1, text.Length);
                    }
                }
            }
            else if (line.TrimEnd(" \t").EndsWith(Fence, StringComparison.Ordinal))
            {
                var fence = lineStart + line.TrimEnd(" \t").Length - Fence.Length;
                var bodyEnd = fence > bodyStart && text[fence - 1] == '\n' ? fence - 1 : Math.Max(fence, bodyStart);
                blocks.Add(new CodeBlock(open, fence + Fence.Length, language, bodyStart, bodyEnd));
                open = -1;
            }

            lineStart = lineEnd + 1;
        }

        if (open >= 0)
        {
            blocks.Add(new CodeBlock(open, text.Length, language, bodyStart, text.Length));
        }

        return blocks;
    }
}
