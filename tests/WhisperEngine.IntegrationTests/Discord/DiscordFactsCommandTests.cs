using WhisperEngine.Memory.Facts;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>The facts commands: the speaker's own facts only, those this place allows, global facts for admins; never a model call.</summary>
public sealed class DiscordFactsCommandTests
{
    private const string Bob = "500000000000000002";

    private static Task<string> DmAsync(DiscordBotHarness harness, string text, string author = DiscordBotHarness.Human) =>
        harness.SayAsync(text, guild: null, channel: DiscordBotHarness.DmChannel, author: author);

    private static async Task<string> ReplyAsync(BotUnderTest bot, int count) => (await bot.WaitForMessagesAsync(count))[count - 1].Content;

    [Fact]
    public async Task Facts_AddListRemove_OnlyTheSpeakersOwn()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        var store = harness.Engine.Get<IFactStore>();
        var ann = new FactOwner("default", "elena", DiscordBotHarness.Human);

        await DmAsync(harness, "!facts add I'm allergic to peanuts");
        Assert.StartsWith("Noted: I'm allergic to peanuts", await ReplyAsync(bot, 1), StringComparison.Ordinal);
        await DmAsync(harness, "!facts add My sister is called Maria");
        await ReplyAsync(bot, 2);
        await DmAsync(harness, "!facts", author: Bob);
        Assert.StartsWith("I don't keep any facts about you yet.", await ReplyAsync(bot, 3), StringComparison.Ordinal);
        await DmAsync(harness, "!facts remove 1", author: Bob);
        Assert.Equal("There is no fact to remove here.", await ReplyAsync(bot, 4));
        await DmAsync(harness, "!facts");
        var list = await ReplyAsync(bot, 5);
        await DmAsync(harness, "!facts remove 1");

        Assert.Contains("1. I'm allergic to peanuts\n2. My sister is called Maria", list, StringComparison.Ordinal);
        Assert.Equal("Removed: I'm allergic to peanuts", await ReplyAsync(bot, 6));
        Assert.Equal(["My sister is called Maria"], (await store.GetAllAsync(ann)).Select(f => f.Value));
        Assert.Empty(await store.GetAllAsync(new FactOwner("default", "elena", Bob)));
        var kept = Assert.Single(await store.GetActiveAsync(ann));
        Assert.Equal((FactSources.User, 1.0, Core.Conversations.PrivacyLevel.DirectMessage), (kept.Source, kept.Confidence, kept.Privacy));
        Assert.Empty(harness.Model.Requests);
    }

    [Fact]
    public async Task Facts_InServerChannel_DirectMessageFactsNeitherShownNorRemovable()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        await DmAsync(harness, "!facts add I have panic attacks");
        await ReplyAsync(bot, 1);

        await harness.SayAsync($"{bot.Mention} !facts add I love hiking");
        await ReplyAsync(bot, 2);
        await harness.SayAsync($"{bot.Mention} !facts");
        var inServer = await ReplyAsync(bot, 3);
        await harness.SayAsync($"{bot.Mention} !facts remove 2");
        var removeInServer = await ReplyAsync(bot, 4);
        await DmAsync(harness, "!facts");
        var inDm = await ReplyAsync(bot, 5);

        Assert.Contains("1. I love hiking", inServer, StringComparison.Ordinal);
        Assert.DoesNotContain("panic", inServer, StringComparison.Ordinal);
        Assert.Contains("1 more I learnt in private", inServer, StringComparison.Ordinal);
        Assert.Equal("There is no fact 2: !facts lists 1.", removeInServer);
        Assert.Contains("1. I have panic attacks\n2. I love hiking", inDm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FactsGlobal_OnlyAdminsManageTheBotsGlobalFacts()
    {
        const string admin = "500000000000000042";
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync(admins: new HashSet<string> { admin });

        await DmAsync(harness, "!facts global add Movie night is on Fridays");
        var refused = await ReplyAsync(bot, 1);
        await DmAsync(harness, "!facts global add Movie night is on Fridays", author: admin);
        var added = await ReplyAsync(bot, 2);
        await DmAsync(harness, "!facts global", author: admin);
        var listed = await ReplyAsync(bot, 3);

        Assert.Equal("Sorry, !facts global is only for the admins of this bot.", refused);
        Assert.Equal("Noted: Movie night is on Fridays (for every conversation).", added);
        Assert.Contains("1. Movie night is on Fridays", listed, StringComparison.Ordinal);
        var fact = Assert.Single(await harness.Engine.Get<IFactStore>().GetActiveAsync(FactOwner.Global("default", "elena")));
        Assert.Equal((FactSubject.Bot, FactSources.Admin), (fact.Subject, fact.Source));
        Assert.Empty(await harness.Engine.Get<IFactStore>().GetAllAsync(new FactOwner("default", "elena", admin)));
    }

    [Fact]
    public async Task Memory_CountsTheSpeakersFacts()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        await DmAsync(harness, "!facts add I'm a nurse");
        await ReplyAsync(bot, 1);

        await DmAsync(harness, "!memory");

        Assert.Contains("keep 1 fact about you", await ReplyAsync(bot, 2), StringComparison.Ordinal);
    }
}
