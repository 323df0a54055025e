using System.Text;
using WhisperEngine.Discord.Chunking;

namespace WhisperEngine.UnitTests.Discord;

public sealed class MessageChunkerTests
{
    [Fact]
    public void Split_TextWithinLimit_ReturnsItAsOneChunk()
    {
        var chunks = MessageChunker.Split("Hello there.\n\nHow are you?");

        Assert.Equal(["Hello there.\n\nHow are you?"], chunks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\n \n")]
    public void Split_BlankText_ReturnsNoChunks(string text)
    {
        Assert.Empty(MessageChunker.Split(text));
    }

    [Fact]
    public void Split_Paragraphs_PacksWholeParagraphsPerChunk()
    {
        var paragraphs = Enumerable.Range(0, 3).Select(i => Sentences(900, (char)('a' + i))).ToArray();

        var chunks = MessageChunker.Split(string.Join("\n\n", paragraphs));

        Assert.Equal([paragraphs[0] + "\n\n" + paragraphs[1], paragraphs[2]], chunks);
    }

    [Fact]
    public void Split_4500CharacterReply_ReturnsThreeOrderedChunksWithinLimit()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 9).Select(i => Sentences(500, (char)('a' + i))));
        Assert.True(text.Length >= 4500);

        var chunks = MessageChunker.Split(text);

        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
        Assert.Equal(text, string.Join("\n\n", chunks));
    }

    [Fact]
    public void Split_ParagraphLongerThanLimit_CutsAtALineBreak()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"Line {i:00}: " + new string('x', 80) + ".").ToArray();

        var chunks = MessageChunker.Split(string.Join("\n", lines), 1000);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 1000));
        Assert.All(chunks, c => Assert.StartsWith("Line ", c, StringComparison.Ordinal));
        Assert.Equal(string.Join("\n", lines), string.Join("\n", chunks));
    }

    [Fact]
    public void Split_LineLongerThanLimit_CutsAfterASentence()
    {
        var text = Sentences(1500, 'q');

        var chunks = MessageChunker.Split(text, 1000);

        Assert.Equal(2, chunks.Count);
        Assert.EndsWith(".", chunks[0], StringComparison.Ordinal);
        Assert.Equal(text, chunks[0] + " " + chunks[1]);
    }

    [Fact]
    public void Split_SentenceLongerThanLimit_CutsBetweenWords()
    {
        var text = string.Join(" ", Enumerable.Repeat("word", 300));

        var chunks = MessageChunker.Split(text, 500);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 500));
        Assert.All(chunks, c => Assert.DoesNotContain(c.Split(' '), w => w != "word"));
        Assert.Equal(text, string.Join(" ", chunks));
    }

    [Fact]
    public void Split_WordLongerThanLimit_CutsWithoutBreakingSurrogatePairs()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 150));

        var chunks = MessageChunker.Split(text, 101);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 101));
        Assert.All(chunks, c => Assert.False(char.IsLowSurrogate(c[0]) || char.IsHighSurrogate(c[^1])));
        Assert.Equal(text, string.Concat(chunks));
    }

    [Fact]
    public void Split_CodeBlockThatFits_IsKeptWhole()
    {
        var code = "```csharp\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"var x{i} = {i};     // step {i}")) + "\n```";
        var intro = Sentences(900, 'i');
        var text = intro + "\n" + code + "\nThat is all.";

        var chunks = MessageChunker.Split(text);

        Assert.Equal([intro, code + "\nThat is all."], chunks);
        Assert.All(chunks, c => Assert.Equal(0, CountFences(c) % 2));
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
    }

    [Fact]
    public void Split_CodeBlockLongerThanLimit_ReopensTheFenceWithItsLanguageInEachChunk()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"    print('line {i}')  # {new string('-', 10)}").ToArray();
        var text = "Here you go:\n\n```python\n" + string.Join("\n", lines) + "\n```\n\nRun it with python3.";

        var chunks = MessageChunker.Split(text);

        Assert.Equal("Here you go:", chunks[0]);
        Assert.Equal("Run it with python3.", chunks[^1]);
        var code = chunks.Skip(1).SkipLast(1).ToList();
        Assert.True(code.Count >= 3);
        Assert.All(code, c => Assert.StartsWith("```python\n", c, StringComparison.Ordinal));
        Assert.All(code, c => Assert.EndsWith("\n```", c, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
        var body = string.Join("\n", code.Select(c => c["```python\n".Length..^"\n```".Length]));
        Assert.Equal(string.Join("\n", lines), body);
    }

    [Fact]
    public void Split_UnclosedCodeBlockLongerThanLimit_ClosesEveryChunk()
    {
        var text = "```\n" + string.Join("\n", Enumerable.Repeat("0123456789", 300));

        var chunks = MessageChunker.Split(text);

        Assert.All(chunks, c => Assert.StartsWith("```\n", c, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.EndsWith("\n```", c, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 2000));
    }

    [Fact]
    public void Split_WindowsLineEndings_AreNormalised()
    {
        var chunks = MessageChunker.Split("One.\r\n\r\nTwo.");

        Assert.Equal(["One.\n\nTwo."], chunks);
    }

    [Fact]
    public void Split_LimitBelowMinimum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageChunker.Split("text", 10));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Split_MixedText_KeepsEveryNonSpaceCharacterInOrderWithinLimit(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < 60; i++)
        {
            switch (random.Next(5))
            {
                case 0:
                    text.Append("\n```js\n").Append(string.Join("\n", Enumerable.Range(0, random.Next(1, 30)).Select(n => $"let v{n} = {n};"))).Append("\n```\n");
                    break;
                case 1:
                    text.Append(new string('z', random.Next(1, 700))).Append(' ');
                    break;
                case 2:
                    text.Append("\n\n");
                    break;
                default:
                    text.Append(Sentences(random.Next(10, 400), (char)('a' + random.Next(26)))).Append(random.Next(2) == 0 ? "\n" : " ");
                    break;
            }
        }

        var limit = random.Next(200, 2001);
        var chunks = MessageChunker.Split(text.ToString(), limit);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, limit));
        Assert.All(chunks, c => Assert.False(string.IsNullOrWhiteSpace(c)));
        Assert.Equal(Strip(text.ToString()), Strip(string.Concat(chunks.Select(RemoveAddedFences))));
    }

    // Every chunk in these texts opens and closes its own fences when a block was split; compare the code only.
    private static string RemoveAddedFences(string chunk) => chunk.Replace("```js", "", StringComparison.Ordinal).Replace("```", "", StringComparison.Ordinal);

    private static string Strip(string text) => RemoveAddedFences(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    private static int CountFences(string text)
    {
        var count = 0;
        for (var i = text.IndexOf("```", StringComparison.Ordinal); i >= 0; i = text.IndexOf("```", i + 3, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Sentences of words made of <paramref name="letter"/>, exactly <paramref name="length"/> characters long, ending with a full stop.</summary>
    private static string Sentences(int length, char letter)
    {
        var text = new StringBuilder();
        var word = 0;
        while (text.Length < length)
        {
            word++;
            var piece = new string(letter, 1 + (word % 7));
            text.Append(piece).Append(word % 9 == 0 ? ". " : " ");
        }

        var result = text.ToString(0, length - 1).TrimEnd() + ".";
        return result.PadLeft(length, letter);
    }
}
