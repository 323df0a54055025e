using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Discord;

/// <summary>Who the bot answers: direct messages, mentions and replies to it in servers; other bots only when allowed.</summary>
public sealed class DiscordBotAddressingTests
{
    [Fact]
    public async Task DirectMessage_Any_RepliesWithReferenceAndStoresBothMessages()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        harness.Model.DefaultReply = FakeReply.Text("Hello from Elena.");

        var id = await harness.SayAsync("hi Elena", guild: null, channel: DiscordBotHarness.DmChannel);

        var posted = await bot.WaitForMessagesAsync(1);
        Assert.Equal("Hello from Elena.", posted[0].Content);
        Assert.Equal(id, posted[0].ReplyToMessageId);
        Assert.Equal(DiscordBotHarness.DmChannel, posted[0].ChannelId);
        Assert.Equal(2, await harness.StoredAsync(channel: DiscordBotHarness.DmChannel));
        Assert.True(bot.Simulator.TypingCount(DiscordBotHarness.DmChannel) >= 1);
    }

    [Fact]
    public async Task GuildMessage_WithoutMention_IsIgnored()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();

        await harness.SayAsync("just chatting with friends");
        var addressed = await harness.SayAsync($"{bot.Mention} and you?");

        var posted = await bot.WaitForMessagesAsync(1);
        await bot.Runner.IdleAsync();
        Assert.Single(bot.Simulator.Messages);
        Assert.Equal(addressed, posted[0].ReplyToMessageId);
        Assert.Single(harness.Model.Requests);
    }

    [Fact]
    public async Task GuildMessage_WithMention_AnsweredWithMentionStripped()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();

        var id = await harness.SayAsync($"{bot.Mention} what do you study?");

        var posted = await bot.WaitForMessagesAsync(1);
        Assert.Equal(id, posted[0].ReplyToMessageId);
        Assert.Equal("what do you study?", harness.Model.Requests[^1].Messages[^1].Content);
    }

    [Fact]
    public async Task GuildMessage_ReplyToBotMessage_IsAnswered()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();
        await harness.SayAsync($"{bot.Mention} hello");
        var first = (await bot.WaitForMessagesAsync(1))[0];

        var reply = await harness.SayAsync("tell me more", replyTo: (first.Id, bot.UserId));

        var posted = await bot.WaitForMessagesAsync(2);
        Assert.Equal(reply, posted[1].ReplyToMessageId);
        Assert.Equal("tell me more", harness.Model.Requests[^1].Messages[^1].Content);
    }

    [Fact]
    public async Task MessageFromOtherBot_ByDefault_IsIgnored()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync();

        await harness.SayAsync($"{bot.Mention} beep boop", author: "700000000000000001", authorIsBot: true);
        var human = await harness.SayAsync($"{bot.Mention} hi");

        var posted = await bot.WaitForMessagesAsync(1);
        await bot.Runner.IdleAsync();
        Assert.Single(bot.Simulator.Messages);
        Assert.Equal(human, posted[0].ReplyToMessageId);
    }

    [Fact]
    public async Task MessagesFromOtherBot_AllowBots_LoopGuardStopsAfterMaxUntilHumanSpeaks()
    {
        await using var harness = await DiscordBotHarness.StartAsync();
        var bot = await harness.AddBotAsync(allowBots: true, maxBotExchanges: 2);

        for (var i = 0; i < 4; i++)
        {
            await harness.SayAsync($"{bot.Mention} bot line {i}", author: "700000000000000001", authorIsBot: true);
        }

        await harness.SayAsync("humans are here again");
        await harness.SayAsync($"{bot.Mention} bot line after", author: "700000000000000001", authorIsBot: true);

        var posted = await bot.WaitForMessagesAsync(3);
        await bot.Runner.IdleAsync();
        Assert.Equal(3, bot.Simulator.Messages.Count);
        Assert.Equal(["bot line 0", "bot line 1", "bot line after"], harness.Model.Requests.Select(r => r.Messages[^1].Content));
    }
}
