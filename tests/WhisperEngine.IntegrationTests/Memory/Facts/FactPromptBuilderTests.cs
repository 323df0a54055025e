using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>The facts section of a prompt: the speaker's own facts this place allows and the bot's global facts, best first, within a token budget.</summary>
public sealed class FactPromptBuilderTests : IAsyncLifetime
{
    private static readonly MemoryPartition Ann = FactHarness.Ann;
    private static readonly FactOwner Global = FactOwner.Global("default", "elena");

    private FactHarness _h = null!;

    public async Task InitializeAsync() => _h = await FactHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private FactPromptBuilder Builder() => new(_h.Facts, FactHarness.Tokens, new FactOptions());

    private Task<FactRecord> AddAsync(FactOwner owner, string key, string value, double confidence = 0.9, PrivacyLevel privacy = PrivacyLevel.PublicChannel,
        FactSubject subject = FactSubject.User) =>
        _h.Facts.AddAsync(owner, new NewFact(subject, key, value, confidence, "test", privacy, privacy == PrivacyLevel.DirectMessage ? "dm" : "general")).AsTask();

    [Fact]
    public async Task Build_UserAndGlobalFacts_InSectionsBestFirst()
    {
        await AddAsync(FactOwner.Of(Ann), "lives_in", "Lisbon", 0.8);
        await AddAsync(FactOwner.Of(Ann), "pet.dog.name", "Biscuit", 0.95);
        await AddAsync(Global, "home_town", "Valencia", 1.0, subject: FactSubject.Bot);
        await _h.Facts.AddAsync(FactOwner.Of(Ann), FactInput.FromText("I'm allergic to peanuts", null, FactSubject.User, FactSources.User, PrivacyLevel.PublicChannel, "general"));
        await AddAsync(FactOwner.Of(Ann), "promised", "to ask about the exam on Friday", 0.9, subject: FactSubject.Bot);

        var prompt = await Builder().BuildAsync(FactHarness.Public);

        Assert.Equal("""
            What is true about you (the character):
            - home town: Valencia

            What you have told this person about yourself:
            - promised: to ask about the exam on Friday

            What you know about the person you are talking with (use it naturally; never recite it):
            - I'm allergic to peanuts
            - pet dog name: Biscuit
            - lives in: Lisbon
            """, prompt.Text);
        Assert.Equal(FactHarness.Tokens.CountTokens(prompt.Text), prompt.Tokens);
        Assert.Equal(5, prompt.Facts.Count);
        Assert.Equal(0, prompt.LeftOut);
    }

    [Fact]
    public async Task Build_PublicChannel_LeavesOutDirectMessageFacts()
    {
        await AddAsync(FactOwner.Of(Ann), "health.condition", "panic attacks", 1.0, PrivacyLevel.DirectMessage);
        await AddAsync(FactOwner.Of(Ann), "hobby", "hiking", 0.9, PrivacyLevel.PublicChannel);

        var inPublic = await Builder().BuildAsync(FactHarness.Public);
        var inDm = await Builder().BuildAsync(FactHarness.Dm);

        Assert.DoesNotContain("panic", inPublic.Text, StringComparison.Ordinal);
        Assert.Contains("hiking", inPublic.Text, StringComparison.Ordinal);
        Assert.Contains("panic attacks", inDm.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_OtherPeoplesFacts_NeverIncluded()
    {
        await AddAsync(new FactOwner("default", "elena", "bob"), "job", "pilot");
        await AddAsync(new FactOwner("default", "marcus", "ann"), "job", "chef");
        await AddAsync(FactOwner.Global("default", "marcus"), "home_town", "Oslo", subject: FactSubject.Bot);

        var prompt = await Builder().BuildAsync(FactHarness.Dm);

        Assert.Equal(FactPrompt.Empty, prompt);
    }

    [Fact]
    public async Task Build_SmallBudget_KeepsTheMostConfidentThatFit()
    {
        await AddAsync(FactOwner.Of(Ann), "job", "nurse", 0.7);
        await AddAsync(FactOwner.Of(Ann), "sister.name", "Maria", 0.95);
        await AddAsync(FactOwner.Of(Ann), "favourite_book", "a very long title that takes a great many tokens to write out in full here", 0.99);
        var header = FactHarness.Tokens.CountTokens("What you know about the person you are talking with (use it naturally; never recite it):") + 1;
        var budget = header + FactHarness.Tokens.CountTokens("- sister name: Maria") + FactHarness.Tokens.CountTokens("- job: nurse");

        var prompt = await Builder().BuildAsync(FactHarness.Dm, budget);

        Assert.Equal(["sister.name", "job"], prompt.Facts.Select(f => f.Key));
        Assert.Equal(1, prompt.LeftOut);
        Assert.True(prompt.Tokens <= budget);
    }

    [Fact]
    public async Task Build_RetiredFacts_NotIncluded()
    {
        await AddAsync(FactOwner.Of(Ann), "lives_in", "London");
        await AddAsync(FactOwner.Of(Ann), "lives_in", "Paris");

        var prompt = await Builder().BuildAsync(FactHarness.Dm);

        Assert.Contains("Paris", prompt.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("London", prompt.Text, StringComparison.Ordinal);
    }
}
