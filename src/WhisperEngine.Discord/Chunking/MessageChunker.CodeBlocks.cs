using System.Text;

namespace WhisperEngine.Discord.Chunking;

public static partial class MessageChunker
{
    /// <summary>
    /// Splits a code block longer than a message between its lines; each part is closed and reopened with the
    /// block's language tag, so every message renders as code. A line longer than a message is cut.
    /// </summary>
    private static void SplitCodeBlock(string text, CodeBlock block, int limit, List<string> chunks)
    {
        var open = Fence + block.Language;
        var budget = limit - open.Length - Fence.Length - 2;
        if (budget < MinimumLimit / 2)
        {
            // A language tag that eats the message: keep the code, drop the tag.
            open = Fence;
            budget = limit - (2 * Fence.Length) - 2;
        }

        var body = new StringBuilder();
        var started = false;
        foreach (var line in text[block.BodyStart..block.BodyEnd].Split('\n'))
        {
            foreach (var piece in Pieces(line, budget))
            {
                if (started && body.Length + 1 + piece.Length > budget)
                {
                    chunks.Add($"{open}\n{body}\n{Fence}");
                    body.Clear();
                    started = false;
                }

                if (started)
                {
                    body.Append('\n');
                }

                body.Append(piece);
                started = true;
            }
        }

        if (started && !string.IsNullOrWhiteSpace(body.ToString()))
        {
            chunks.Add($"{open}\n{body}\n{Fence}");
        }
    }

    /// <summary>A line of code as pieces of at most <paramref name="budget"/> characters.</summary>
    private static IEnumerable<string> Pieces(string line, int budget)
    {
        var start = 0;
        do
        {
            var length = Math.Min(budget, line.Length - start);
            if (start + length < line.Length && char.IsLowSurrogate(line[start + length]))
            {
                length--;
            }

            yield return line.Substring(start, length);
            start += length;
        }
        while (start < line.Length);
    }
}
