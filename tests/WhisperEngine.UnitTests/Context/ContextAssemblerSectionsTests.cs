using Microsoft.Extensions.AI;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Recall;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Context;

/// <summary>Context sections (recalled memories, relationship) in the prompt budget.</summary>
public sealed class ContextAssemblerSectionsTests
{
    private const string SystemPrompt = "You are a test character.";
    private const int SystemTokens = 10;
    private const int Overhead = ContextAssembler.PerMessageOverhead;

    // FakeTokenCounter: "Memories" is 2 tokens, so its heading costs 2 + 3.
    private const int MemoriesHeading = 5;

    private readonly ContextAssembler _assembler = new(new FakeTokenCounter());

    [Fact]
    public void Assemble_OneSection_AppendedToTheSystemMessageUnderItsHeading()
    {
        var sections = new[] { Section("Memories", Line("[1 Mar 2025] Ann: I have a cat.", 8)) };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("hello", 5)), 1_000, sections, 500);

        Assert.Equal(SystemPrompt + "\n\n## Memories\n[1 Mar 2025] Ann: I have a cat.", context.Messages[0].Text);
        Assert.Equal(1, context.Messages.Count(m => m.Role == ChatRole.System));
        Assert.Equal(MemoriesHeading + 8 + 1, context.ContextTokens);
        Assert.Equal(SystemTokens + Overhead + context.ContextTokens + 5 + Overhead, context.PromptTokens);
        Assert.Equal("[1 Mar 2025] Ann: I have a cat.", Assert.Single(context.ContextLines).Text);
    }

    [Fact]
    public void Assemble_LinesOverTheSectionBudget_KeepsTheBestThatFitSkippingOneTooLarge()
    {
        var sections = new[] { Section("Memories", Line("first", 10), Line("huge", 100), Line("second", 10), Line("third", 10), Line("fourth", 10)) };

        // Heading 5, then 11 per line: three lines fit in 38.
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("hello", 5)), 1_000, sections, 38);

        Assert.Equal(["first", "second", "third"], context.ContextLines.Select(l => l.Text));
        Assert.Equal(38, context.ContextTokens);
    }

    [Fact]
    public void Assemble_Sections_TakeTheirShareFromTheHistory()
    {
        var history = History(User("u1", 10), Assistant("a1", 10), User("u2", 10), Assistant("a2", 10), User("u3", 10));
        var sections = new[] { Section("Memories", Line("memory", 22)) };

        // Without sections all five messages fit in 84; the section (5 + 23 = 28) leaves 42 for history: three messages.
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 84, sections, 100);

        Assert.Equal(28, context.ContextTokens);
        Assert.Equal(["u2", "a2", "u3"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(84, context.PromptTokens);
        Assert.Equal(2, context.HistoryMessagesDropped);
    }

    [Fact]
    public void Assemble_LineWhoseMessageIsInTheHistorySent_IsLeftOut()
    {
        var history = History(User("I have a cat.", 5), Assistant("Lovely!", 5), User("What pet do I have?", 5));
        var sections = new[]
        {
            Section("Memories", Line("[1 Mar 2025] Ann: I have a cat.", 9, source: "I have a cat."), Line("[2 Mar 2025] Ann: I live in Leeds.", 9, source: "I live in Leeds.")),
        };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 1_000, sections, 500);

        Assert.Equal(["[2 Mar 2025] Ann: I live in Leeds."], context.ContextLines.Select(l => l.Text));
        Assert.DoesNotContain("I have a cat.", context.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(3, context.HistoryMessagesUsed);
    }

    [Fact]
    public void Assemble_LineWhoseMessageWasCutFromTheHistory_IsKept()
    {
        var history = History(User("I have a cat.", 40), Assistant("Lovely!", 40), User("What pet do I have?", 5));
        var sections = new[] { Section("Memories", Line("[1 Mar 2025] Ann: I have a cat.", 9, source: "I have a cat.")) };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 60, sections, 30);

        Assert.Equal("[1 Mar 2025] Ann: I have a cat.", Assert.Single(context.ContextLines).Text);
        Assert.Equal(["What pet do I have?"], context.Messages.Skip(1).Select(m => m.Text));
    }

    [Fact]
    public void Assemble_DuplicateLineLeftOut_ItsTokensGoBackToTheHistory()
    {
        // With the line (5 + 11 = 16 tokens) only u2 fits; it repeats u2, so it goes and u1, a1 fit again.
        var history = History(User("u1", 10), Assistant("a1", 10), User("u2", 10));
        var sections = new[] { Section("Memories", Line("[1 Mar] Ann: u2", 10, source: "u2")) };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 60, sections, 30);

        Assert.Empty(context.ContextLines);
        Assert.Equal(0, context.ContextTokens);
        Assert.Equal(["u1", "a1", "u2"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(56, context.PromptTokens);
    }

    [Fact]
    public void Assemble_TwoSections_LowerOrderFirstInTextAndInBudget()
    {
        var sections = new[]
        {
            Section("Memories", 50, Line("memory one", 10), Line("memory two", 10)),
            Section("About Ann", 10, Line("Relationship: friend.", 6)),
        };

        // "About Ann" heading: 3 + 3 = 6, line 7: 13; "Memories" heading 5 + 11 = 16 for one memory: 29 in all.
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("hi", 2)), 1_000, sections, 29);

        Assert.Equal(SystemPrompt + "\n\n## About Ann\nRelationship: friend.\n\n## Memories\nmemory one", context.Messages[0].Text);
        Assert.Equal(29, context.ContextTokens);
    }

    [Fact]
    public void Assemble_NoRoomBesideTheNewestMessage_NoSections()
    {
        var sections = new[] { Section("Memories", Line("memory", 5)) };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("long question", 80)), 100, sections, 50);

        Assert.Empty(context.ContextLines);
        Assert.Equal(SystemPrompt, context.Messages[0].Text);
        Assert.Equal("long question", context.Messages[^1].Text);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(90)]
    [InlineData(150)]
    [InlineData(400)]
    public void Assemble_AnyBudget_StaysWithinItWhenTheNewestMessageFits(int budget)
    {
        var history = History(User("u1", 10), Assistant("a1", 12), User("u2", 8), Assistant("a2", 15), User("u3", 6));
        var sections = new[]
        {
            Section("About Ann", 10, Line("Relationship: acquaintance.", 7)),
            Section("Memories", 50, Line("m1", 9, source: "u2"), Line("m2", 14), Line("m3", 4, source: "u1"), Line("m4", 30)),
        };

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, budget, sections, budget / 2);

        Assert.True(context.PromptTokens <= budget, $"{context.PromptTokens} tokens for a budget of {budget}");
        Assert.True(context.ContextTokens <= budget / 2);
        Assert.Equal("u3", context.Messages[^1].Text);
        var historyTexts = context.Messages.Skip(1).Select(m => m.Text).ToHashSet();
        Assert.DoesNotContain(context.ContextLines, l => l.Source is { } s && historyTexts.Contains(s));
    }

    private static ContextSection Section(string title, params ContextLine[] lines) => new(title, lines);

    private static ContextSection Section(string title, int order, params ContextLine[] lines) => new(title, lines) { Order = order };

    private static ContextLine Line(string text, int tokens, string? source = null) => new(text, tokens) { Source = source };

    private static List<StoredMessage> History(params (MessageRole Role, string Text, int Tokens)[] messages) =>
        [.. messages.Select((m, i) => new StoredMessage(i + 1, 1, m.Role, m.Text, DateTimeOffset.UnixEpoch.AddMinutes(i), m.Tokens, MessageFlags.None, null))];

    private static (MessageRole, string, int) User(string text, int tokens) => (MessageRole.User, text, tokens);

    private static (MessageRole, string, int) Assistant(string text, int tokens) => (MessageRole.Assistant, text, tokens);
}
