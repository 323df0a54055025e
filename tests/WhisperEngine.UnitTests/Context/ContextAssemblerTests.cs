using Microsoft.Extensions.AI;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Context;

public sealed class ContextAssemblerTests
{
    private const string SystemPrompt = "You are a test character.";
    private const int SystemTokens = 10;
    private const int Overhead = ContextAssembler.PerMessageOverhead;

    private readonly ContextAssembler _assembler = new(new FakeTokenCounter());

    [Fact]
    public void Assemble_AnyHistory_PutsTheSystemPromptFirst()
    {
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("u1", 10), Assistant("a1", 10), User("u2", 10)), 1_000);

        Assert.Equal(ChatRole.System, context.Messages[0].Role);
        Assert.Equal(SystemPrompt, context.Messages[0].Text);
        Assert.Equal(1, context.Messages.Count(m => m.Role == ChatRole.System));
    }

    [Fact]
    public void Assemble_NewestUserMessageOverBudget_StillIncludesIt()
    {
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, History(User("old", 10), Assistant("reply", 10), User("huge", 5_000)), 100);

        Assert.Equal([ChatRole.System, ChatRole.User], context.Messages.Select(m => m.Role));
        Assert.Equal("huge", context.Messages[^1].Text);
        Assert.Equal(1, context.HistoryMessagesUsed);
        Assert.Equal(2, context.HistoryMessagesDropped);
        Assert.Equal(SystemTokens + Overhead + 5_000 + Overhead, context.PromptTokens);
    }

    [Fact]
    public void Assemble_HistoryFitsExactly_IncludesEverything()
    {
        // system 10+4, then five messages of 10+4 each: 84 tokens.
        var history = History(User("u1", 10), Assistant("a1", 10), User("u2", 10), Assistant("a2", 10), User("u3", 10));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 84);

        Assert.Equal(["u1", "a1", "u2", "a2", "u3"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(5, context.HistoryMessagesUsed);
        Assert.Equal(0, context.HistoryMessagesDropped);
        Assert.Equal(84, context.PromptTokens);
    }

    [Fact]
    public void Assemble_HistoryOverBudget_DropsOldestFirst()
    {
        var history = History(User("u1", 10), Assistant("a1", 10), User("u2", 10), Assistant("a2", 10), User("u3", 10));

        // 14 (system) + 3 * 14 = 56 fits; a fourth message would need 70.
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 56);

        Assert.Equal(["u2", "a2", "u3"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(3, context.HistoryMessagesUsed);
        Assert.Equal(2, context.HistoryMessagesDropped);
        Assert.Equal(56, context.PromptTokens);
        Assert.True(context.PromptTokens <= 56);
    }

    [Fact]
    public void Assemble_CutLandsOnAnAssistantMessage_DropsItSoHistoryStartsWithUser()
    {
        var history = History(User("u1", 10), Assistant("a1", 10), User("u2", 10), Assistant("a2", 10), User("u3", 10));

        // 55: u3 and a2 fit (42) but u2 does not (56); a2 would then lead the history and is dropped too.
        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 55);

        Assert.Equal([ChatRole.System, ChatRole.User], context.Messages.Select(m => m.Role));
        Assert.Equal("u3", context.Messages[1].Text);
        Assert.Equal(1, context.HistoryMessagesUsed);
        Assert.Equal(4, context.HistoryMessagesDropped);
        Assert.Equal(SystemTokens + Overhead + 10 + Overhead, context.PromptTokens);
    }

    [Fact]
    public void Assemble_HistoryStartingWithAssistant_DropsTheLeadingAssistantMessages()
    {
        var history = History(Assistant("greeting", 10), User("u1", 10), Assistant("a1", 10), User("u2", 10));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 1_000);

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], context.Messages.Select(m => m.Role));
        Assert.Equal(["u1", "a1", "u2"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(3, context.HistoryMessagesUsed);
        Assert.Equal(1, context.HistoryMessagesDropped);
        Assert.Equal(SystemTokens + Overhead + 3 * (10 + Overhead), context.PromptTokens);
    }

    [Fact]
    public void Assemble_ConsecutiveUserMessages_MergesThemIntoOneTurn()
    {
        // A turn whose reply failed leaves two user messages in a row.
        var history = History(User("first try", 10), User("second try", 10), Assistant("answer", 10), User("thanks", 10));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 1_000);

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], context.Messages.Select(m => m.Role));
        Assert.Equal("first try\n\nsecond try", context.Messages[1].Text);
        Assert.Equal(4, context.HistoryMessagesUsed);
        Assert.Equal(0, context.HistoryMessagesDropped);
    }

    [Fact]
    public void Assemble_ConsecutiveAssistantMessages_MergesThemIntoOneTurn()
    {
        var history = History(User("u1", 10), Assistant("part one", 10), Assistant("part two", 10), User("u2", 10));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 1_000);

        Assert.Equal(["u1", "part one\n\npart two", "u2"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(4, context.HistoryMessagesUsed);
    }

    [Fact]
    public void Assemble_MergedRunOverBudget_DropsTheWholeRun()
    {
        // The merged run u1+u2 costs 10+10+1 tokens; only a1 and u3 fit after the system prompt.
        var history = History(User("u1", 10), User("u2", 10), Assistant("a1", 10), User("u3", 10));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, 14 + 14 + 14 + 20);

        Assert.Equal(["u3"], context.Messages.Skip(1).Select(m => m.Text));
        Assert.Equal(1, context.HistoryMessagesUsed);
        Assert.Equal(3, context.HistoryMessagesDropped);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(90)]
    [InlineData(10_000)]
    public void Assemble_MessyHistoryAnyBudget_RolesAlternateAndEndWithTheUser(int budget)
    {
        var history = History(
            Assistant("hello there", 5), User("hi", 5), User("are you there?", 5), Assistant("yes", 5), Assistant("sorry, cut off", 5),
            User("ok", 5), Assistant("so", 5), User("tell me more", 5), User("please", 5));

        var context = _assembler.Assemble(SystemPrompt, SystemTokens, history, budget);

        Assert.Equal(ChatRole.System, context.Messages[0].Role);
        Assert.Equal(ChatRole.User, context.Messages[1].Role);
        Assert.Equal(ChatRole.User, context.Messages[^1].Role);
        for (var i = 2; i < context.Messages.Count; i++)
        {
            Assert.NotEqual(context.Messages[i - 1].Role, context.Messages[i].Role);
        }

        Assert.Equal(history.Count, context.HistoryMessagesUsed + context.HistoryMessagesDropped);
    }

    private static List<StoredMessage> History(params (MessageRole Role, string Text, int Tokens)[] messages) =>
        [.. messages.Select((m, i) => new StoredMessage(i + 1, 1, m.Role, m.Text, DateTimeOffset.UnixEpoch.AddMinutes(i), m.Tokens, MessageFlags.None, null))];

    private static (MessageRole, string, int) User(string text, int tokens) => (MessageRole.User, text, tokens);

    private static (MessageRole, string, int) Assistant(string text, int tokens) => (MessageRole.Assistant, text, tokens);
}
